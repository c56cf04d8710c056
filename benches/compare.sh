#!/usr/bin/env bash
# Times ntfs-links against sleuthkit and libfsntfs on the same image, alternating
# runs, and prints medians and ratios. Warm page cache (one untimed run each first).
#
#   benches/compare.sh IMAGE [RUNS]
#
# Needs: a release build (cargo build --release), fls and icat (Debian package
# sleuthkit), fsntfsinfo (libfsntfs-utils). The floor is `cat` of the $MFT,
# extracted once with icat.
set -euo pipefail
image=${1:?usage: benches/compare.sh IMAGE [RUNS]}
runs=${2:-5}
bin="$(dirname "$0")/../target/release/ntfs-links"
mft=$(mktemp)
trap 'rm -f "$mft"' EXIT
icat "$image" 0 > "$mft"

declare -A cmds=(
  [ntfs-links]="$bin scan --format jsonl $image"
  [fls]="fls -r -p $image"
  [fsntfsinfo]="fsntfsinfo -H $image"
  [cat-mft]="cat $mft"
)
order=(cat-mft ntfs-links fls fsntfsinfo)
command -v fsntfsinfo >/dev/null || order=(cat-mft ntfs-links fls)

# A command that fails is not a fast run: stop and say which.
run() {
  if ! ${cmds[$1]} > /dev/null 2> "$mft.err"; then
    echo "compare.sh: $1 failed: ${cmds[$1]}" >&2
    cat "$mft.err" >&2
    exit 1
  fi
}
trap 'rm -f "$mft" "$mft.err"' EXIT

declare -A times
for name in "${order[@]}"; do run "$name"; done
for ((i = 0; i < runs; i++)); do
  for name in "${order[@]}"; do
    start=$(date +%s.%N)
    run "$name"
    end=$(date +%s.%N)
    times[$name]+="$(echo "$end - $start" | bc) "
  done
done

median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
records=$("$bin" info "$image" | awk '/^records:/ {print $2}')
echo "image: $image ($records records), $runs runs each, alternating, warm cache"
ours=$(echo "${times[ntfs-links]}" | median)
for name in "${order[@]}"; do
  m=$(echo "${times[$name]}" | median)
  printf '%-12s median %8.3f s   ratio to ntfs-links %6.2fx\n' "$name" "$m" "$(echo "$m / $ours" | bc -l)"
done
