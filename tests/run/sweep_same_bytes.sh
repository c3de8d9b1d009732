#!/bin/sh
# The same sweep and SLO search run with --jobs 1, --jobs 2 and, given MPIEXEC, on two MPI
# ranks (each with --jobs 1); their JSON, CSV and tables, and the SLO search's warnings on
# stderr, must be the same bytes.
# Usage: sweep_same_bytes.sh LVSLAB SCENARIO OUTDIR [MPIEXEC]
set -e
lvslab=$1 scenario=$2 out=$3 mpiexec=$4
mkdir -p "$out"
run() {  # NAME JOBS [LAUNCHER...]: writes OUTDIR/NAME.{json,csv,txt} and OUTDIR/NAME-slo.{json,txt}
  name=$1 jobs=$2
  shift 2
  "$@" "$lvslab" sweep "$scenario" --param 'workload.clients[0].arrivals.rate=200:600:200' --param 'servers[0].workers=2,8' \
    --replications 3 --until 1500ms --set warmup=500ms --jobs "$jobs" \
    --json "$out/$name.json" --csv "$out/$name.csv" > "$out/$name.txt" 2> "$out/$name.err"
  "$@" "$lvslab" sweep "$scenario" --param 'servers[0].workers=1:8:1' --slo 'p99<55ms' --find 'min:servers[0].workers' \
    --replications 2 --until 2s --set 'workload.clients[0].arrivals.rate=1000' --set 'servers[0].service_time.mean=10ms' \
    --jobs "$jobs" --json "$out/$name-slo.json" > "$out/$name-slo.txt" 2> "$out/$name-slo.err"
}
run jobs1 1
run jobs2 2
names="jobs2"
if [ -n "$mpiexec" ]; then
  # --allow-run-as-root: Open MPI refuses to start as root without it (test containers run as root).
  # Under AddressSanitizer (CI), LeakSanitizer finds about 120 KB that Open MPI's libmpi and
  # its plugins allocate in MPI_Init and do not free (ompi_op_base_op_select, among frames of
  # unloaded plugins that a suppression cannot name); lvslab's own leaks are checked by the
  # runs without MPI above, so leak detection is off for the ranks alone.
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
    run mpi2 1 "$mpiexec" --allow-run-as-root --oversubscribe -n 2 -x ASAN_OPTIONS
  names="jobs2 mpi2"
fi
files=0
for name in jobs1 $names; do
  for f in .json .csv .txt -slo.json -slo.txt -slo.err; do
    [ -s "$out/$name$f" ] || { echo "empty: $out/$name$f"; exit 1; }  # -slo.err: the points' warnings
    cmp "$out/jobs1$f" "$out/$name$f"
    files=$((files + 1))
  done
done
echo "identical: $files files"
