/* registry.c — the list of designs; adding a design adds one line here. */
#include "design.h"

#include <stdio.h>
#include <string.h>

extern const design_type design_threeplusthree;
extern const design_type design_boin;
extern const design_type design_crm;
extern const design_type design_mtpi2;
extern const design_type design_keyboard;
extern const design_type design_i3plus3;
extern const design_type design_blrm;
extern const design_type design_titecrm;
extern const design_type design_titeboin;
extern const design_type design_rolling6;
extern const design_type design_boin12;

const design_type *const design_registry[] = {
    &design_threeplusthree, &design_boin,     &design_crm,    &design_mtpi2,
    &design_keyboard,       &design_i3plus3,  &design_blrm,   &design_titecrm,
    &design_titeboin,       &design_rolling6, &design_boin12, NULL,
};

const design_type *design_lookup(const char *type) {
  for (int i = 0; design_registry[i] != NULL; i++)
    if (type != NULL && strcmp(design_registry[i]->name, type) == 0)
      return design_registry[i];
  return NULL;
}

void design_type_names(char *buf, size_t len) {
  size_t used = 0;
  buf[0] = '\0';
  for (int i = 0; design_registry[i] != NULL && used < len; i++)
    used +=
        (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", design_registry[i]->name);
}
