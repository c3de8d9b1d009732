#!/usr/bin/env python3
"""Differential check of `lvslab validate` between two builds: every message, exit status and
byte of output must be the same. Used when the scenario loader is changed for speed only:

    python3 tests/bench/validate_diff.py OLD/lvslab build/bin/lvslab

Inputs: every file of tests/fuzz/corpus and scenarios/*.yaml; mutants of each scenario (a line
deleted, doubled, moved, re-indented, a key renamed to an odd one, a value swapped for another
of the file), seeded so that each run tries the same ones; each scenario with a few --set
overrides; and a 2 000-server cluster with a duplicate name and a duplicate address far apart.
Prints the first differences and exits 1 if there are any."""
import os
import random
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MUTANTS_PER_SCENARIO = 40
ODD_KEYS = ["a.b", "x[0]", "]", "[", "", "0", "name.", ".name", "hosts[1]"]
OVERRIDES = [
    ["topology.hosts[0].name=x"],
    ["services[0].port=81", "services[0].port=82"],
    ["topology.hosts[1].interfaces[0].address=192.168.74.10/24"],
    ["warmup=100s"],
    ["services[0].destinations[0].weight=-1"],
    ["topology.hosts[0].interfaces={a.b: 1}"],
    ["nosuch.key=1"],
]

# Keys the loader refuses, where the path to them is long or the map large.
WIDE = "".join(f"  k{k}: {k}\n" for k in range(40))
HANDWRITTEN = [
    "name: a\nname: b\n",
    "topology:\n  hosts:\n    - {name: a, kind: server}\n    - {name: b, kind: server, kind: client}\n",
    "topology:\n  hosts:\n    - name: a\n      interfaces:\n        - {name: e, name: f}\n",
    "x:\n" + WIDE + "  k7: again\n",
    "x:\n" + WIDE + "  k39: again\n",
    "x:\n" + WIDE.replace("k20", "k3") + "\n",
    "a: &v {b: 1, b: 2}\nc: *v\n",
    "a: [{? [1]: 2}]\n",
    "? {a: 1}\n: 2\n",
    "a:\n  - - {c: 1, ~: 2}\n",
    "a: {'': 1, \"\": 2}\n",
]


def mutate(lines, rng):
    out = list(lines)
    k = rng.randrange(len(out))
    how = rng.randrange(6)
    if how == 0:
        del out[k]
    elif how == 1:
        out.insert(k, out[k])
    elif how == 2:
        out.insert(rng.randrange(len(out)), out.pop(k))
    elif how == 3:
        out[k] = " " * rng.choice([1, 2, 3]) + out[k]
    elif how == 4 and ":" in out[k]:
        head, _, tail = out[k].partition(":")
        stripped = head.lstrip(" -{")
        out[k] = head[: len(head) - len(stripped)] + rng.choice(ODD_KEYS) + ":" + tail
    else:
        donor = out[rng.randrange(len(out))]
        if ":" in out[k] and ":" in donor:
            out[k] = out[k].partition(":")[0] + ":" + donor.partition(":")[2]
    return out


def big_cluster(n, dup_name_at, dup_address_at):
    sys.path.insert(0, os.path.join(ROOT, "tests", "bench"))
    import io
    import contextlib
    import make_big_scenario

    buffer = io.StringIO()
    sys.argv = ["make_big_scenario.py", str(n)]
    with contextlib.redirect_stdout(buffer):
        make_big_scenario.main()
    text = buffer.getvalue()
    text = text.replace(f"{{name: rs{dup_name_at}, ", "{name: rs1, ", 1)
    text = text.replace(f"address: {make_big_scenario.server_address(dup_address_at - 1)}/8",
                        f"address: {make_big_scenario.server_address(1)}/8", 1)
    return text


def cases(work):
    corpus = os.path.join(ROOT, "tests", "fuzz", "corpus")
    scenarios = os.path.join(ROOT, "scenarios")
    files = [os.path.join(corpus, f) for f in sorted(os.listdir(corpus))]
    yamls = [os.path.join(scenarios, f) for f in sorted(os.listdir(scenarios)) if f.endswith(".yaml")]
    for f in files + yamls:
        yield [f]
    for f in yamls:
        for overrides in OVERRIDES:
            yield [f] + [a for o in overrides for a in ("--set", o)]
        rng = random.Random(os.path.basename(f))
        with open(f) as source:
            lines = source.read().split("\n")
        for m in range(MUTANTS_PER_SCENARIO):
            mutant = lines
            for _ in range(rng.choice([1, 1, 2, 3])):
                mutant = mutate(mutant, rng)
            path = os.path.join(work, f"{os.path.basename(f)[:-5]}-m{m}.yaml")
            with open(path, "w") as out:
                out.write("\n".join(mutant))
            yield [path]
    for k, text in enumerate(HANDWRITTEN):
        path = os.path.join(work, f"hand-{k}.yaml")
        with open(path, "w") as out:
            out.write(text)
        yield [path]
    big = os.path.join(work, "big-2000.yaml")
    with open(big, "w") as out:
        out.write(big_cluster(2000, 1700, 1900))
    yield [big]
    yield [big, "--set", "topology.hosts[1500].interfaces[0].address=10.0.0.9/8"]


def validate(binary, args):
    p = subprocess.run([binary, "validate"] + args, capture_output=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    old, new = sys.argv[1], sys.argv[2]
    differ = 0
    count = 0
    with tempfile.TemporaryDirectory() as work:
        for args in cases(work):
            count += 1
            a, b = validate(old, args), validate(new, args)
            if a != b:
                differ += 1
                if differ <= 5:
                    print("DIFFERS:", " ".join(args))
                    print("  old:", a)
                    print("  new:", b)
    print(f"{count} inputs, {differ} differ")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
