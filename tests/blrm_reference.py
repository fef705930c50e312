# blrm_reference.py -- the mpmath values that tests/test_blrm.c checks designs/blrm.c against: for a
# case, every dose's posterior P(p_d < c1) and P(p_d < c2) under the BLRM of SPEC section 14
# (logit p_d = a + exp(b) log(x_d / x*), (a, b) bivariate normal), at 20 significant digits.
# Method, independent of blrm.c's: mpmath's tanh-sinh quad, outer over b and inner over a, each
# split at breakpoints around the mode (a float grid search and Newton's method place them) and
# the inner one at the threshold a < logit(c) - exp(b) L_d itself, so every piece is analytic.
# Usage: python3 tests/blrm_reference.py CASE...  (CASE: a key of CASES below; minutes each)
import mpmath as mp, sys, math
mp.mp.dps = 20

def case(doses, xref, n, y, mean, sd, corr, cuts):
    L = [mp.log(mp.mpf(x) / xref) for x in doses]
    m1, m2 = map(mp.mpf, mean); s1, s2 = map(mp.mpf, sd); r = mp.mpf(corr)
    det = 1 - r * r
    P11 = 1 / (s1 * s1 * det); P22 = 1 / (s2 * s2 * det); P12 = -r / (s1 * s2 * det)
    data = [(L[d], n[d], y[d]) for d in range(len(doses)) if n[d] > 0]
    def lp(a, b):
        da, db = a - m1, b - m2
        v = -(P11 * da * da + 2 * P12 * da * db + P22 * db * db) / 2
        beta = mp.exp(b)
        for Ld, nd, yd in data:
            eta = a + beta * Ld
            sp = eta + mp.log1p(mp.exp(-eta)) if eta > 0 else mp.log1p(mp.exp(eta))
            v += yd * eta - nd * sp
        return v
    # mode and curvature by a float grid + Newton (only to place breakpoints)
    fl = lambda a, b: float(lp(mp.mpf(a), mp.mpf(b)))
    best = None
    for i in range(-40, 41):
        for j in range(-40, 41):
            a = float(m1) + i * 0.25 * float(s1); b = float(m2) + j * 0.25 * float(s2)
            v = fl(a, b)
            if best is None or v > best[0]: best = (v, a, b)
    _, a0, b0 = best
    h = 1e-4
    for it in range(50):
        f0 = fl(a0, b0)
        ga = (fl(a0 + h, b0) - fl(a0 - h, b0)) / (2 * h); gb = (fl(a0, b0 + h) - fl(a0, b0 - h)) / (2 * h)
        haa = (fl(a0 + h, b0) - 2 * f0 + fl(a0 - h, b0)) / h / h
        hbb = (fl(a0, b0 + h) - 2 * f0 + fl(a0, b0 - h)) / h / h
        hab = (fl(a0 + h, b0 + h) - fl(a0 + h, b0 - h) - fl(a0 - h, b0 + h) + fl(a0 - h, b0 - h)) / (4 * h * h)
        dt = haa * hbb - hab * hab
        da = -(hbb * ga - hab * gb) / dt; db = -(-hab * ga + haa * gb) / dt
        s = 1.0
        while fl(a0 + s * da, b0 + s * db) < f0 and s > 1e-6: s /= 2
        a0 += s * da; b0 += s * db
        if abs(s * da) + abs(s * db) < 1e-10: break
    sa = math.sqrt(-hbb / dt); sb = math.sqrt(-haa / dt)
    M = lp(mp.mpf(a0), mp.mpf(b0))
    f = lambda a, b: mp.exp(lp(a, b) - M)
    K = [-20, -8, -3, 0, 3, 8, 20]
    bpts = [b0 + k * sb for k in K]
    def apts(b):
        # the row's own centre: the root of d lp / d a by bisection (lp is concave in a), in floats
        b = float(b); beta = math.exp(b)
        p11, p12, mm1, mm2 = float(P11), float(P12), float(m1), float(m2)
        N = sum(nd for _, nd, _ in data); Y = sum(yd for _, _, yd in data)
        mc = mm1 - p12 * (b - mm2) / p11
        def fa(a):
            s = -p11 * (a - mm1) - p12 * (b - mm2)
            for Ld, nd, yd in data:
                eta = a + beta * float(Ld)
                pr = 1 / (1 + math.exp(-eta)) if eta > -700 else 0.0
                s += yd - nd * pr
            return s
        lo, hi = mc - N / p11 - 1, mc + Y / p11 + 1
        for it in range(200):
            mid = (lo + hi) / 2
            if fa(mid) > 0: lo = mid
            else: hi = mid
        a = (lo + hi) / 2
        curv = p11
        for Ld, nd, yd in data:
            eta = a + beta * float(Ld)
            pr = 1 / (1 + math.exp(-eta)) if eta > -700 else 0.0
            curv += nd * pr * (1 - pr)
        sd_a = 1 / math.sqrt(curv)
        return [a + k * sd_a for k in K]
    def inner(b, t=None):
        pts = apts(b)
        if t is not None:
            t = float(t)
            if t <= pts[0]: return mp.mpf(0)
            pts = [p for p in pts if p < t] + ([t] if t < pts[-1] else [])
        return mp.quad(lambda a: f(a, b), pts)
    Z = mp.quad(lambda b: inner(b), bpts)
    out = []
    for d in range(len(doses)):
        row = []
        for c in cuts:
            g = mp.log(mp.mpf(c) / (1 - mp.mpf(c)))
            row.append(mp.quad(lambda b: inner(b, g - mp.exp(b) * L[d]), bpts) / Z)
        out.append(row)
    return out

CASES = {
  # crmPack trial_analysis vignette: LogisticLogNormal(mean = c(-0.85, 1), cov = [[1,-0.5],[-0.5,1]], ref_dose = 56),
  # data firstFour: x = 1 3 9 20, y = 0 0 0 1; NextBestNCRM target [0.2, 0.35), overdose [0.35, 1]
  "crmpack": ([1, 3, 9, 20, 30, 45, 60, 80, 100], 56, [1, 1, 1, 1, 0, 0, 0, 0, 0], [0, 0, 0, 1, 0, 0, 0, 0, 0],
              (-0.85, 1), (1, 1), -0.5, (0.2, 0.35)),
  # Neuenschwander et al. (2008) / OncoBayes2 hist_SA, prior of trialr/escalation, reference 250 mg
  "neuen": ([1, 2.5, 5, 10, 15, 20, 25], 250, [3, 4, 5, 4, 0, 0, 2], [0, 0, 0, 0, 0, 0, 2],
            (2.15, 0.52), (0.84, 0.8), 0.0, (0.16, 0.33)),
}
REF = ([1.0e7, 2.0e7, 3.0e7], 2.0e7, (-0.8472978603872037, 0.0), (2.0, 1.0), 0.0, (0.16, 0.33))
for name, (n, y) in {
    "ref_prior": ([0, 0, 0], [0, 0, 0]),
    "ref_one_patient": ([1, 0, 0], [0, 0, 0]),
    "ref_one_dlt": ([1, 0, 0], [1, 0, 0]),
    "ref_all_dlt": ([3, 3, 0], [3, 3, 0]),
    "ref_no_dlt": ([3, 3, 15], [0, 0, 0]),
    "ref_all_dlt_30": ([30, 0, 0], [30, 0, 0]),
    "ref_none_60": ([0, 0, 60], [0, 0, 0]),
    "ref_sharp": ([60, 90, 90], [6, 27, 60]),
}.items():
    doses, xref, mean, sd, corr, cuts = REF
    CASES[name] = (doses, xref, n, y, mean, sd, corr, cuts)

for name in sys.argv[1:]:
    out = case(*CASES[name])
    print(name, " ".join("%.12f %.12f" % tuple(float(v) for v in row) for row in out), flush=True)
