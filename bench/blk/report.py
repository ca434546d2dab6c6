#!/usr/bin/python3
"""bench/blk/report.py: turn the fio JSON files of one bench/blk run into
the markdown section of bench/RESULTS.md (on standard output).

Usage: report.py OUT-DIR

OUT-DIR holds <system>.<workload>.<run>.json (system: host, hostbuf,
guest), as run.sh leaves them, and meta.env (KEY=value lines from run.sh:
commit, CPU, file system, ...). A missing or broken JSON file is an empty
cell, and the reason (from <system>.<workload>.<run>.err) is listed under
the tables. Every figure is the median of the runs that produced one; a ratio is the
median of the per-run ratios (guest run 1 / host run 1, ...).
"""
import json
import os
import statistics
import sys

SECTION = "## Block I/O (fio)"

# name, fio rw, block size, iodepth, ioengine (as run.sh runs them)
WORKLOADS = [
    ("seqread-1m-qd1", "read", "1m", 1, "psync"),
    ("seqread-1m-qd32", "read", "1m", 32, "libaio"),
    ("seqwrite-1m-qd1", "write", "1m", 1, "psync"),
    ("seqwrite-1m-qd32", "write", "1m", 32, "libaio"),
    ("randread-4k-qd1", "randread", "4k", 1, "psync"),
    ("randread-4k-qd32", "randread", "4k", 32, "libaio"),
    ("randwrite-4k-qd1", "randwrite", "4k", 1, "psync"),
    ("randwrite-4k-qd32", "randwrite", "4k", 32, "libaio"),
]
SYSTEMS = ["host", "hostbuf", "guest"]
TITLE = {"host": "host O_DIRECT", "hostbuf": "host buffered",
         "guest": "coLinux guest"}
SEQ_TARGET = 0.8     # sequential: guest >= 0.8x host
LAT_TARGET = 3.0     # 4 KiB random, iodepth 1: guest latency <= 3x host


def parse(path):
    """One fio JSON file -> dict(bw MiB/s, iops, lat mean us, lat p99 us)."""
    with open(path) as f:
        job = json.load(f)["jobs"][0]
    if job.get("error"):
        raise ValueError("fio error %s" % job["error"])
    side = job["write"] if job["write"]["io_bytes"] else job["read"]
    if not side["io_bytes"]:
        raise ValueError("no I/O done")
    lat = side["lat_ns"]
    pct = lat.get("percentile") or side["clat_ns"].get("percentile", {})
    return {
        "bw": side["bw_bytes"] / 2**20,
        "iops": side["iops"],
        "lat": lat["mean"] / 1000,
        "p99": pct.get("99.000000", float("nan")) / 1000,
        "cpu": job["usr_cpu"] + job["sys_cpu"],
        "secs": side["runtime"] / 1000,
    }


def num(v, unit):
    if v is None:
        return "–"
    if unit == "us" and v < 100:
        return "%.1f" % v
    if unit == "MiB/s" and v < 100:
        return "%.1f" % v
    return "{:,.0f}".format(v)




def fmt_ratio(r):
    if r is None:
        return "–"
    return "%.2fx" % r if r < 10 else "%.0fx" % r


def method(m):
    """The method notes under the tables, as bullet points."""
    return [
        "Three columns on one host file system (`%s`, %s), each on its own "
        "%s file filled with random data first (a hole would be read "
        "without any I/O): **host O_DIRECT** is fio on the host with "
        "`direct=1`; **host buffered** the same with `direct=0`, through "
        "the host page cache; **coLinux guest** is fio in the guest on the "
        "raw virtio disk `/dev/vdb` with `direct=1` (`colinux run --mem "
        "%s`, root on a read-only ext4 image with busybox, our init and "
        "Debian's fio with the libraries ldd lists; one boot per run, the "
        "boot not counted)." % (m["DIR"], m["FSTYPE"], m["SIZE"],
                                m["GUEST_MEM"]),
        "The guest's O_DIRECT bypasses only the guest's page cache: the "
        "virtio-blk device reads and writes the host file with buffered "
        "preadv/pwritev through io_uring (no O_DIRECT on the host file; a "
        "FLUSH is fdatasync). So the guest goes through the host page "
        "cache, the path of **host buffered**; host O_DIRECT, which the "
        "targets are set against, is the raw path of the host file system.",
        "Each run is one pass over the file, stopped after %s s: "
        "sequential runs touch each block once, random ones each block at "
        "most once (fio's random map). A time-based run would wrap around "
        "and re-read the host page cache on every side but O_DIRECT. "
        "Before every run the file is fsynced and dropped from the host "
        "page cache (`POSIX_FADV_DONTNEED` on that file only), so every "
        "side starts from the disk. Write runs end with an fsync "
        "(`end_fsync=1`), counted in the figures: buffered data, and the "
        "guest's (a FLUSH, so fdatasync on the host), is on the disk at "
        "the end, as with O_DIRECT." % m["SECONDS"],
        "iodepth 1 uses `ioengine=psync`, iodepth 32 `libaio` (it works "
        "in the guest: the kernel has CONFIG_AIO, checked before the "
        "runs). On the host, libaio on a buffered file is synchronous "
        "(io_submit does the copy), so host buffered at qd32 is really "
        "qd1.",
        "Runs are interleaved (run 1 of every workload on every side, "
        "then run 2, ...) so that a noisy minute hits all sides; the "
        "machine is shared with other sessions' builds and tests, and "
        "buffered I/O, which costs host CPU, suffers most. The single "
        "runs are in the details below.",
    ]


def main():
    out = sys.argv[1]
    meta = {}
    with open(os.path.join(out, "meta.env")) as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition("=")
            meta[k] = v
    runs = int(meta.get("RUNS", "3"))

    single = {}   # (system, workload) -> {run: dict}
    problems = []
    for s in SYSTEMS:
        for w, *_ in WORKLOADS:
            got = {}
            for r in range(1, runs + 1):
                base = os.path.join(out, "%s.%s.%d" % (s, w, r))
                if not os.path.exists(base + ".json"):
                    if os.path.exists(base + ".err"):
                        with open(base + ".err") as f:
                            problems.append("%s %s run %d: %s" % (
                                TITLE[s], w, r, f.read().strip()))
                    continue
                try:
                    got[r] = parse(base + ".json")
                except (ValueError, KeyError, IndexError) as e:
                    problems.append("%s %s run %d: unreadable fio output (%s)"
                                    % (TITLE[s], w, r, e))
            single[(s, w)] = got

    def med(s, w, key):
        vals = [d[key] for d in single[(s, w)].values()]
        return statistics.median(vals) if vals else None

    # A ratio is the median of the ratios of runs with the same number:
    # those ran within a minute of each other, so a change of load on the
    # machine between runs cancels out.
    def ratio(s1, s2, w, key):
        a, b = single[(s1, w)], single[(s2, w)]
        vals = [a[r][key] / b[r][key] for r in a if r in b and b[r][key]]
        return statistics.median(vals) if vals else None

    p = print
    p(SECTION)
    p()
    p("Measured %s on `%s`, %s CPUs, host kernel %s, coLinux commit %s "
      "(%s). Disk files in `%s` (%s on %s), %s each. Load average "
      "(1/5/15 min) %s before, %s after. %s, %s s per run, median of %d "
      "runs. Re-run: `bench/blk/run.sh`." % (
          meta["DATE"], meta["CPU"], meta["NCPU"], meta["KERNEL"],
          meta["COMMIT"], meta["BUILD"], meta["DIR"], meta["FSTYPE"],
          meta["FSDEV"], meta["SIZE"], meta["LOAD_BEFORE"],
          meta["LOAD_AFTER"], meta["FIO"], meta["SECONDS"], runs))
    p()
    p("Throughput: MiB/s for 1 MiB sequential, IOPS for 4 KiB random; "
      "each figure is the median of the runs, each ratio the median of "
      "the ratios of runs done one after the other (run 1 to run 1, ...). "
      "Targets (from the issue) are against host O_DIRECT: sequential "
      ">= %.1fx host, 4 KiB random iodepth 1 mean latency <= %.0fx host."
      % (SEQ_TARGET, LAT_TARGET))
    p()
    p("| workload | engine | unit | host O_DIRECT | host buffered | coLinux "
      "guest | guest ÷ host | guest ÷ host buffered | target |")
    p("|---|---|---|---:|---:|---:|---:|---:|---|")
    for w, rw, bs, qd, engine in WORKLOADS:
        seq = bs == "1m"
        key, unit = ("bw", "MiB/s") if seq else ("iops", "IOPS")
        h, hb, g = (med(s, w, key) for s in SYSTEMS)
        r = ratio("guest", "host", w, key)
        if seq:
            target = "–" if r is None else "%s (>= %.1fx)" % (
                "met" if r >= SEQ_TARGET else "not met", SEQ_TARGET)
        elif qd == 1:
            lr = ratio("guest", "host", w, "lat")
            target = "–" if lr is None else "latency %s: %s (<= %.0fx)" % (
                fmt_ratio(lr), "met" if lr <= LAT_TARGET else "not met",
                LAT_TARGET)
        else:
            target = ""
        p("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            w, "%s qd%d" % (engine, qd), unit, num(h, unit), num(hb, unit),
            num(g, unit), fmt_ratio(r),
            fmt_ratio(ratio("guest", "hostbuf", w, key)), target))
    p()
    p("Latency per I/O in microseconds (fio `lat`: submission to "
      "completion), mean and 99th percentile:")
    p()
    p("| workload | host mean | host p99 | host buffered mean | host "
      "buffered p99 | guest mean | guest p99 | guest ÷ host (mean) | "
      "guest ÷ host buffered (mean) |")
    p("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for w, *_ in WORKLOADS:
        cells = []
        for s in SYSTEMS:
            cells += [num(med(s, w, "lat"), "us"), num(med(s, w, "p99"), "us")]
        p("| %s | %s | %s | %s |" % (
            w, " | ".join(cells), fmt_ratio(ratio("guest", "host", w, "lat")),
            fmt_ratio(ratio("guest", "hostbuf", w, "lat"))))
    p()
    p("How it was measured:")
    p()
    for line in method(meta):
        p("- " + line)
    for line in problems:
        p("- FAILED: " + line)
    p()
    p("<details><summary>Single runs: bandwidth MiB/s / IOPS / mean latency "
      "us / p99 us / fio's CPU use % (in the guest: as the guest sees it) "
      "/ seconds (the spread shows how noisy the machine was)</summary>")
    p()
    p("```")
    for s in SYSTEMS:
        for w, *_ in WORKLOADS:
            if single[(s, w)]:
                p("%-8s %-17s %s" % (s, w, "   ".join(
                    "%.1f/%.0f/%.1f/%.0f/%.0f/%.1f" % (
                        d["bw"], d["iops"], d["lat"], d["p99"], d["cpu"],
                        d["secs"])
                    for d in single[(s, w)].values())))
    p("```")
    p()
    p("</details>")


if __name__ == "__main__":
    main()
