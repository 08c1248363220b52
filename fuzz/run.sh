#!/usr/bin/env bash
# Builds and runs earshot's libFuzzer harnesses (not part of .ci/run or `swift test`).
#
#   fuzz/run.sh [SECONDS] [HARNESS...]     HARNESS: line, rules, sanitizer (default: all three)
#
# Each harness is built with `swiftc -sanitize=fuzzer,address` over the Sources it needs
# (EventStore, and Analytics for the rules and sanitizer harnesses) into fuzz/.build/, then run for
# SECONDS (default 600) with a corpus in fuzz/.build/corpus/HARNESS (kept between runs, not
# committed) and its findings (crash-*, timeout-*, oom-*) in fuzz/.build/findings/HARNESS.
# Set FUZZ_OPT (default -O) and FUZZ_SANITIZE (default fuzzer,address) to change the build,
# FUZZ_JOBS to run libFuzzer workers in parallel, FUZZ_FLAGS to pass more libFuzzer flags
# (e.g. FUZZ_FLAGS=-len_control=0 to try long inputs, up to -max_len, from the start).
set -euo pipefail
shopt -s globstar nullglob
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
seconds="${1:-600}"; shift || true
harnesses=("$@"); [ ${#harnesses[@]} -eq 0 ] && harnesses=(line rules sanitizer)
opt="${FUZZ_OPT:--O}"
san="${FUZZ_SANITIZE:-fuzzer,address}"
out="$here/.build"
mkdir -p "$out/modules"
common=(-swift-version 6 -parse-as-library "$opt" -g -sanitize="$san" -I "$out/modules" -I "$root/Sources/CZlib")

build_module() {  # name, dependency flags…
    local name="$1"; shift
    local lib="$out/modules/lib$name.a"
    if [ -f "$lib" ] && [ "$lib" -nt "$0" ] && [ -z "$(find "$root/Sources/$name" -name '*.swift' -newer "$lib")" ]; then
        return
    fi
    echo "building module $name" >&2
    swiftc "${common[@]}" -module-name "$name" -emit-module -emit-module-path "$out/modules/$name.swiftmodule" \
        -emit-library -static -o "$lib" -whole-module-optimization "$@" "$root/Sources/$name"/**/*.swift 2>&1 \
        | { grep -v "Cannot export local symbol" || true; } >&2
}

build_harness() {  # harness, source, modules…
    local h="$1" src="$2"; shift 2
    local libs=()
    for m in "$@"; do libs+=("$out/modules/lib$m.a"); done
    echo "building harness $h" >&2
    swiftc "${common[@]}" -module-name "Fuzz_$h" "$here/$src" "${libs[@]}" -lz -o "$out/fuzz-$h" 2>&1 \
        | { grep -v "Cannot export local symbol" || true; } >&2
}

build_module EventStore
for h in "${harnesses[@]}"; do
    case "$h" in
        line) build_harness line LineParserFuzz.swift EventStore ;;
        rules) build_module Analytics; build_harness rules RulesFuzz.swift Analytics EventStore ;;
        sanitizer) build_module Analytics; build_harness sanitizer SanitizerFuzz.swift Analytics EventStore ;;
        *) echo "fuzz/run.sh: unknown harness '$h' (line, rules, sanitizer)" >&2; exit 2 ;;
    esac
done

make_seeds() {  # harness, directory: a few seed inputs from the repository (not committed separately)
    local n=0
    case "$1" in
        line)
            for f in "$root"/Tests/EventStoreTests/Fixtures/*/*.jsonl; do
                while IFS= read -r l && [ $n -lt 200 ]; do printf '%s' "$l" >"$2/$n"; n=$((n+1)); done <"$f"
            done
            gzip -dc "$root"/ExampleData/2026-10/*.jsonl.gz 2>/dev/null | awk 'NR % 997 == 1' | head -100 \
                | while IFS= read -r l; do printf '%s' "$l" >"$2/x$RANDOM$RANDOM"; done ;;
        rules)
            cp "$root/ExampleData/shop.segments" "$2/shop.segments"
            printf 'crit: store.last_event_age <= 30m\nwarn: feedback.survey["nps_email_01"].response_rate >= 0.2\n' >"$2/check" ;;
        sanitizer)
            printf 'plain' >"$2/a"; printf 'a\033[31mred\033]52;c;AAAA\007b' >"$2/b"
            printf 'x\xe2\x80\xaey\xc2\x9b1mz\xe2\x80\x8b\r\n\t\xcc\x81' >"$2/c" ;;
    esac
}

for h in "${harnesses[@]}"; do
    corpus="$out/corpus/$h"; findings="$out/findings/$h"
    mkdir -p "$corpus" "$findings"
    seeds="$out/seeds/$h"; rm -rf "$seeds"; mkdir -p "$seeds"
    make_seeds "$h" "$seeds"
    max_len=65536; [ "$h" = line ] && max_len=16384
    echo "fuzzing $h for ${seconds}s" >&2
    ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}" "$out/fuzz-$h" "$corpus" "$seeds" \
        -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$findings/" -print_final_stats=1 ${FUZZ_JOBS:+-jobs=$FUZZ_JOBS -workers=$FUZZ_JOBS} ${FUZZ_FLAGS:-} \
        2>&1 | tee "$out/$h.log" | grep -E '^(#[0-9]+ +(INITED|DONE)|Done|stat::|==[0-9]+==ERROR|SUMMARY|artifact)' || true
done
