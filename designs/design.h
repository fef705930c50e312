/* design.h — the one interface every dose-escalation design implements.
 *
 * A design is data plus pure decision functions on the trial's counts: it never allocates,
 * draws random numbers, prints or touches MPI, and keeps no state between calls. Like GSL's
 * gsl_rng_type, its table carries everything generic code needs: the options it accepts (key,
 * kind, where the value goes, default, allowed range, help), the names of its own reasons to
 * stop, and its functions. The engine owns the loop (src/engine/graph.c), wraps the design in the
 * rules layer (src/engine/policy.c) and memoises every answer, so one copy of a design serves Monte
 * Carlo, the exact engine, shards, resume and `boundaries`.
 *
 * Adding a design: designs/<name>.c exporting one `const design_type`, one line in
 * designs/registry.c, and tests/test_<name>.c. Nothing else names it. A design that reads pending
 * patients also sets reads_pending and decide_pending (below). */
#ifndef DOSEVAL_DESIGN_H
#define DOSEVAL_DESIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../src/base/error.h"
#include "pending.h"
#include "state.h"

/* The limits and the trial state (design_state) are in state.h, the layout's one owner. */

/* The study frame a design works in, after the design's own overrides of the study. */
typedef struct {
  int n_doses;     /* K */
  int cohort_size; /* c */
  int max_n;       /* the trial never treats more than this */
  int start_dose;  /* 1-based */
  double target;   /* phi, the target DLT probability */
  /* The K dose labels (study.doses: positive, increasing), for designs whose model reads the
   * doses themselves (BLRM: log(x_d / x*)). Valid during configure only, which copies what it
   * needs into params; NULL where no study is at hand (boundaries, the option list). */
  const double *doses;
} design_setup;

/* What to do next: treat the next cohort at `dose`, or stop with MTD `dose` (0 = no MTD), or
 * (designs that read pending patients only, SPEC 12) suspend: turn the arrival away and ask
 * again at the next one; `dose` is then the current dose. `reason` (stops only) indexes the
 * design's stop_reasons; the rules layer renumbers it into the wrapped policy's list. `rec` is
 * the dose the design's model recommends before its own limits on movement (CRM's no_skip); it
 * equals `dose` for designs without such limits and is what a rule's `dose: recommended` means.
 * stop and suspend are one bit each, so the action stays four bytes (the graph keeps one per
 * node) and the designs that never suspend build exactly the actions they built before. */
typedef struct {
  uint8_t stop : 1;
  uint8_t suspend : 1;
  uint8_t dose;
  uint8_t reason;
  uint8_t rec;
} design_action;

static inline design_action design_treat(int dose) {
  return (design_action){.stop = 0, .dose = (uint8_t)dose, .reason = 0, .rec = (uint8_t)dose};
}
/* Treat at `dose` although the model recommends `rec`. */
static inline design_action design_treat_rec(int dose, int rec) {
  return (design_action){.stop = 0, .dose = (uint8_t)dose, .reason = 0, .rec = (uint8_t)rec};
}
static inline design_action design_stop(int mtd, int reason) {
  return (design_action){
      .stop = 1, .dose = (uint8_t)mtd, .reason = (uint8_t)reason, .rec = (uint8_t)mtd};
}
/* Suspend accrual at the current dose `cur` until more outcomes are known. */
static inline design_action design_suspend(int cur) {
  return (design_action){.suspend = 1, .dose = (uint8_t)cur, .reason = 0, .rec = (uint8_t)cur};
}

/* ---- options as data ---------------------------------------------------------------------- */

typedef enum {
  DESIGN_OPT_REAL,  /* double */
  DESIGN_OPT_INT,   /* long */
  DESIGN_OPT_BOOL,  /* bool */
  DESIGN_OPT_WORD,  /* int: the index of the word in `words` */
  DESIGN_OPT_DOSE,  /* int: a dose 1..K, or one of the words in `dose_words` (DESIGN_DOSE_*) */
  DESIGN_OPT_REALS, /* double[DESIGN_MAX_DOSES], with the number given in an int at count_at */
} design_opt_kind;

/* A bound of a number: none, a constant, a multiple of the target, or the number of doses. */
typedef enum {
  DESIGN_BOUND_NONE = 0,
  DESIGN_BOUND_VALUE,
  DESIGN_BOUND_TARGET, /* value x target */
  DESIGN_BOUND_DOSES,  /* K */
} design_bound_of;
typedef struct {
  design_bound_of of;
  double value;
  bool open; /* strict: < rather than <= */
} design_bound;

/* The words a DOSE option may take besides a dose number, as stored. */
#define DESIGN_DOSE_RECOMMENDED (-1)
#define DESIGN_DOSE_ANY (-2)
#define DESIGN_DOSE_WORD_RECOMMENDED 1u
#define DESIGN_DOSE_WORD_ANY 2u

/* One key a design (or a rule) accepts. The generic code (src/study/options.c) fills defaults,
 * checks kinds and ranges, and writes "allowed: ..." from these fields; configure then checks what
 * relates two values (BOIN's offset < cutoff_eli). */
typedef struct {
  const char *key;       /* YAML key; "skeleton.halfwidth" is the key halfwidth of a mapping */
  design_opt_kind kind;  /* a key may have two shapes: "skeleton" a list, "skeleton.x" a map */
  size_t at;             /* offsetof(the options struct, the value) */
  size_t set_at;         /* offsetof a bool set when the key is written; 0 = none kept */
  double def;            /* the default (REAL, INT, BOOL as 0/1, WORD index, DOSE; REALS: each) */
  bool def_times_target; /* the default is def x target */
  bool no_default;       /* absent means "not set" (configure decides, e.g. CRM's skeleton) */
  bool required;         /* must be written */
  design_bound min, max; /* REAL, INT, DOSE and each REALS value */
  const char *const *words; /* WORD: the allowed words, NULL-terminated */
  unsigned dose_words;      /* DOSE: DESIGN_DOSE_WORD_* allowed besides 1..K */
  int count;                /* REALS: exactly this many values, 0 = one per dose */
  size_t count_at;          /* REALS: offsetof the int that receives the number */
  bool increasing;          /* REALS: strictly increasing */
  bool needs_time;          /* written with a value other than 0, the key needs a study with time
                               (study.dlt_window, SPEC 11): the config refuses it otherwise */
  const char *help;         /* one line: what it means (and its default when that is not plain) */
} design_option;

#define DESIGN_LESS(x) ((design_bound){DESIGN_BOUND_VALUE, (x), true})
#define DESIGN_AT_MOST(x) ((design_bound){DESIGN_BOUND_VALUE, (x), false})
#define DESIGN_MORE(x) DESIGN_LESS(x)
#define DESIGN_AT_LEAST(x) DESIGN_AT_MOST(x)
#define DESIGN_TARGET_OPEN ((design_bound){DESIGN_BOUND_TARGET, 1.0, true})
#define DESIGN_DOSES ((design_bound){DESIGN_BOUND_DOSES, 0.0, false})

/* ---- rules as data (SPEC section 6, "Rules") ----------------------------------------------- */

typedef enum {
  DESIGN_RULE_NO_SKIP,
  DESIGN_RULE_STOP_AT_N,
  DESIGN_RULE_STOP_WHEN_N_AT_DOSE,
  DESIGN_RULE_STOP_WHEN_TOO_TOXIC,
  DESIGN_RULE_DEMAND_N_AT_DOSE,
} design_rule_kind;

/* One rule of the rules layer (src/engine/policy.c). A config's `rules:` become these
 * (src/engine/rules.c), and so does a design option that is one of them (CRM's n_stop), so one
 * implementation serves both. */
typedef struct {
  design_rule_kind kind;
  const char *reason; /* its stop_reason label */
  bool escalation;    /* no_skip: limit moves up to one level ... */
  bool deescalation;  /* ... and down */
  long n;             /* stop_at_n, stop_when_n_at_dose, demand_n_at_dose */
  int dose;           /* 1..K, DESIGN_DOSE_RECOMMENDED or DESIGN_DOSE_ANY */
  double threshold;   /* stop_when_too_toxic: P(p_dose > threshold | data) ... */
  double confidence;  /* ... > confidence */
  double prior[2];    /* ... under the prior Beta(prior[0], prior[1]) */
  int prior_count;
} design_rule;

/* ---- the design table --------------------------------------------------------------------- */

/* A design's own reason to stop (its stop_reason label). `toxicity` marks stops for safety,
 * which demand_n_at_dose never overrides. */
typedef struct {
  const char *name;
  bool toxicity;
} design_reason;

/* A count-based design's decision at the current dose with n patients (`boundaries`): escalate
 * if the DLTs are <= escalate, de-escalate if >= deescalate, eliminate if >= eliminate; extra
 * rows (BOIN's extrasafe) if `has_stop`. "Never" is -1 for <= and n + 1 for >=. */
typedef struct {
  int escalate, deescalate, eliminate, stop;
  bool has_stop;
} design_table_row;

/* A pending-patient design's decision at the current dose with n patients, y DLTs seen and m of
 * them pending, as a function of the pending patients' total follow-up S = STFT in [0, m]
 * (`doseval boundaries`, TITE-BOIN): `low` for S below `threshold`, `high` above it; at S equal to
 * the threshold `high` if at_high, else `low`. No threshold in (0, m): low = high. Decisions are
 * 'E' escalate, 'S' stay, 'D' de-escalate, 'U' de-escalate and eliminate, 'X' suspend. */
typedef struct {
  char low, high;
  double threshold;
  bool at_high;
} design_pending_cell;

#define DESIGN_MAX_OWN_RULES 4

typedef struct design_type {
  const char *name;                  /* the config's `type` */
  const char *title;                 /* one line: the design and its reference */
  const design_option *options;      /* the keys it accepts; the last has key NULL */
  size_t options_size;               /* bytes of its options struct */
  size_t params_size;                /* bytes of the private parameter block configure fills */
  const design_reason *stop_reasons; /* its own reasons to stop; the last has name NULL */
  const char *example; /* the options a config must give, as YAML ("skeleton: [...]"); NULL:
                          none (tests/test_registry.c builds a config of every design from it) */

  /* Fills params from the options (defaults applied, kinds and ranges checked already) and the
   * setup, precomputing tables. On a bad value returns DV_ECONFIG with a message that starts
   * with the key: "<key>: <found>; allowed: <what>" (the caller adds file, line and design). */
  dv_status (*configure)(void *params, const design_setup *setup, const void *options,
                         dv_error *err) DV_MUST_CHECK;

  /* Whether decide reads state.last_y for these params (otherwise the engine keeps it 0, and
   * the graph does not split states on it). NULL: never. */
  bool (*uses_last_cohort)(const void *params);

  /* The options of these params that are rules of the rules layer, applied before the config's
   * own rules; returns how many (at most DESIGN_MAX_OWN_RULES). NULL: none. */
  int (*own_rules)(const void *params, design_rule *out);

  /* The next action from the state. Called on the empty state (cur == 0) for the first cohort.
   * Must treat at a dose in 1..K or stop with design_stop(mtd, reason). */
  design_action (*decide)(const void *params, const design_state *s);

  /* The MTD (0 = none) among doses 1..highest when the engine or a rule ends the trial while
   * decide still wanted to treat (highest >= 1; K or more admits every dose). */
  int (*select)(const void *params, const design_state *s, int highest);

  /* The decision table row at n patients (`doseval boundaries`); NULL if the design is not
   * count-based (CRM). */
  void (*table_row)(const void *params, int n, design_table_row *row);

  /* What the table's header says about these params (boundaries, lambdas ...), as lines of
   * text written into buf; NULL: nothing. */
  void (*describe)(const void *params, char *buf, size_t len);

  /* Optional: what decide and select compute from the counts alone (CRM: the posterior), so that
   * the engine computes it once per distinct counts. States that differ only in the last dose or
   * cohort share it, and so do decide and select at one state. `fit` fills fit_size bytes from
   * s->n and s->y; decide_fit and select_fit give exactly what decide and select give. */
  size_t fit_size;
  void (*fit)(const void *params, const design_state *s, void *fit);
  design_action (*decide_fit)(const void *params, const design_state *s, const void *fit);
  int (*select_fit)(const void *params, const design_state *s, int highest, const void *fit);

  /* The reasoning behind decide(s), as a statistician writes it in the trial log (`doseval
   * next`), into buf. NULL: count-based designs are explained from table_row by the engine. */
  void (*explain)(const void *params, const design_state *s, char *buf, size_t len);

  /* ---- designs that read pending patients (SPEC 12; designs/pending.h) ----
   * reads_pending: the design decides while earlier patients are still in follow-up. On a study
   * with time the engine then calls decide_pending at each arrival that starts a cohort, with
   * everything known at that moment; the other arrivals of the cohort join it at the same dose.
   * It treats at a dose, stops, or suspends (the arrival is turned away, the next one asks again).
   * The complete-data functions above remain the design's answer when nothing is pending: decide
   * on pending_view_state of a view without pending patients answers as decide_pending on that
   * view (tests/test_registry.c checks it on every state of the first cohorts), so the same
   * design runs unchanged where there is no time (the graph, exact, `boundaries`), and select on
   * the complete counts is the final selection once every outcome is known (after max_n, or a
   * stop, the trial waits for the pending outcomes, SPEC 11). decide never suspends. */
  bool reads_pending;
  design_action (*decide_pending)(const void *params, const pending_view *v);
  /* Optional, for a design whose pending decision reads counts and the STFT alone: the cell at
   * n, y, m (design_pending_cell), `boundaries` prints them all. NULL: none. */
  void (*pending_cell)(const void *params, int n, int y, int m, design_pending_cell *cell);
  /* Optional, for a design with a fit whose pending decision lies between two complete-data
   * decisions (TITE-CRM: a pending patient's weight w in [0, 1] moves the posterior monotonely,
   * from leaving them out, w = 0, to counting them as without DLT, w = 1). pending_bracket fills
   * lo and hi with those two count states and returns true (false: no bracket for these params or
   * this view); decide_bracketed, given the design's fits of lo and hi, returns true and the
   * action when the two settle it, which is then exactly decide_pending's on the view, and false
   * when decide_pending must answer. The engine keeps the fits of the counts it has seen
   * (src/engine/fit_cache.c), so a settled decision costs two lookups instead of a fit. */
  bool (*pending_bracket)(const void *params, const pending_view *v, design_state *lo,
                          design_state *hi);
  bool (*decide_bracketed)(const void *params, const pending_view *v, const void *fit_lo,
                           const void *fit_hi, design_action *out);

  /* ---- designs that read responses (SPEC 13, the efficacy endpoint) ----
   * reads_responses: decide and select read design_state.e, the responses per dose. The state
   * then keeps them (state.h: K bytes more a packed state) and a cohort has (c + 1)^2 outcomes,
   * (DLTs, responses), rather than c + 1; every scenario must give p_eff. Designs that leave it
   * false keep their states and graphs exactly as before. */
  bool reads_responses;
  /* Optional, for such a design: the dose its selection aims at under true DLT and response
   * probabilities (BOIN12: the true OBD; 0: none), which `pcs` then counts instead of the true
   * MTD, and the true utility (out of 100) of a dose with those probabilities (`utility`). */
  int (*true_dose)(const void *params, const double *p_tox, const double *p_eff, int k);
  /* What select names, in the trial log's words (`next`, `paths`, `validate`): NULL "MTD";
   * a design whose true_dose is not the MTD names its own (BOIN12: "OBD"). */
  const char *selects;
  double (*true_utility)(const void *params, double p_tox, double p_eff);

  /* ---- designs that place arrivals while their cohort is pending (SPEC 11 and 13) ----
   * A design that waits for complete cohorts may, with some params, give an arrival that comes
   * while its cohort's outcomes are pending a place at another dose (a "side patient") rather
   * than turn it away. side_most: the most side patients a trial with these params can have (0:
   * it places none; the function NULL: never); they come on top of max_n, which then counts the
   * cohorts' patients only. side_dose: at such an arrival, the dose (1..K) it is given, or 0
   * (turned away), from `known` (the counts of the outcomes known at that moment, every
   * patient's, side ones included; e: the responses known, read whether or not reads_responses
   * is set; cur: the cohort's dose) and `enrolled` (the patients given each dose, outcome known
   * or not). Their outcomes, once known, join the counts decide reads, so decide must answer for
   * counts that include them. Only a study with time has such arrivals: the engine runs such a
   * design in its own event loop (src/engine/backfill_trial.c), the config refuses one on a
   * study without time (its option with needs_time) and it needs every scenario's p_eff, and
   * `exact`, `next` and `paths`, which have no clock, refuse it. */
  int (*side_most)(const void *params);
  int (*side_dose)(const void *params, const design_state *known, const uint8_t *enrolled);
} design_type;

/* The word for the dose design t selects ("MTD" unless it names another). */
static inline const char *design_selects(const design_type *t) {
  return t->selects != NULL ? t->selects : "MTD";
}

/* The most side patients a trial of design t with params can have (0: none). */
static inline int design_side_most(const design_type *t, const void *params) {
  return t->side_most != NULL && t->side_dose != NULL ? t->side_most(params) : 0;
}

/* The registry (designs/registry.c). */
extern const design_type *const design_registry[];  /* NULL-terminated */
const design_type *design_lookup(const char *type); /* NULL if unknown */
/* "threeplusthree, boin, ..." for error messages. */
void design_type_names(char *buf, size_t len);

/* Small helpers every design may use. */
static inline int design_total_n(const design_state *s, int k) {
  int t = 0;
  for (int d = 0; d < k; d++)
    t += s->n[d];
  return t;
}

#endif
