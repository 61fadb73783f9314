#!/usr/bin/env python3
"""synopsis.py - the help of every command against the manual page.

For each command in `cyanprobe --help` (and each subcommand of keys and qa):
  - docs/cyanprobe.1 has a SYNOPSIS entry for it;
  - the options its --help names are the options its SYNOPSIS entries name,
    the shared ones standing as "common options" (the OPTIONS section);
  - the options the usage lines require (outside [...]) are the ones the
    SYNOPSIS requires (outside .Op), entry by entry;
  - run with no arguments, the command exits 2 and names every required
    option, so the code requires what the help says.
Prints "ok" or "FAIL ..." lines, one per check; tests/cli/suite.sh counts
them.  Usage: synopsis.py BINARY MANPAGE
"""
import re
import subprocess
import sys

OPT = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*[a-z0-9]|-[a-zA-Z])(?![\w-])")


def run(binary, args):
    p = subprocess.run([binary] + args, capture_output=True, text=True,
                       timeout=20, env={"PATH": "/usr/bin:/bin",
                                        "NO_COLOR": "1"})
    return p.returncode, p.stdout, p.stderr


def commands(binary):
    """Command names from the top-level help, subcommands expanded."""
    _, out, _ = run(binary, ["--help"])
    names = []
    listing = False
    for line in out.splitlines():
        if line.startswith("commands:"):
            listing = True
            continue
        if listing:
            if not line.startswith("  "):
                break
            names.append(line.split()[0])
    result = []
    for name in names:
        _, out, _ = run(binary, [name, "--help"])
        subs = [m.group(1) for m in re.finditer(
            r"cyanprobe %s ([a-z][a-z-]*)" % re.escape(name), usage_block(out))]
        subs += [l.split()[0] for l in section(out, "subcommands:")]
        subs = list(dict.fromkeys(s for s in subs if s not in ("SUBCOMMAND",)))
        if subs:
            result += ["%s %s" % (name, s) for s in subs]
        else:
            result.append(name)
    return result


def section(text, title):
    lines, on = [], False
    for line in text.splitlines():
        if line.startswith(title):
            on = True
            continue
        if on:
            if not line.startswith("  "):
                break
            lines.append(line.strip())
    return lines


def usage_block(text):
    lines = []
    for line in text.splitlines():
        if not lines and not line.startswith("usage:"):
            continue
        if lines and not line.strip():
            break
        lines.append(line)
    return "\n".join(lines)


def usage_entries(text, cmd):
    """The usage entries of cmd: token lists, one per `cyanprobe CMD ...`."""
    block = usage_block(text).replace("usage:", " ", 1)
    entries = []
    for part in re.split(r"(?=\bcyanprobe )", block):
        words = part.split()
        if words[:1 + len(cmd.split())] == ["cyanprobe"] + cmd.split():
            entries.append(" ".join(words[1 + len(cmd.split()):]))
    return entries


def help_required(entry):
    """Options outside brackets in a usage entry."""
    req, depth = set(), 0
    for tok in re.findall(r"\[|\]|[^\s\[\]]+", entry):
        if tok == "[":
            depth += 1
        elif tok == "]":
            depth -= 1
        elif depth == 0:
            m = OPT.match(tok)
            if m:
                req.add(m.group(1))
    return req


def man_synopsis(man):
    """SYNOPSIS entries: (command, [(line, optional?)]) in order."""
    text = man.split(".Sh SYNOPSIS", 1)[1].split(".Sh ", 1)[0]
    entries = []
    for line in text.splitlines():
        if line == ".Nm":
            entries.append(["", []])
        elif entries and line.startswith(".Ic ") and not entries[-1][1]:
            entries[-1][0] = (entries[-1][0] + " " + line[4:]).strip()
        elif entries:
            entries[-1][1].append(line)
    return entries


def man_options(lines):
    """All options of an entry, and those outside .Op/.Oo...Oc."""
    allopts, req, depth = set(), set(), 0
    for line in lines:
        words = line.lstrip(".").split()
        opt_line = line.startswith(".Op ")
        for i, w in enumerate(words):
            if w in ("Oo",):
                depth += 1
            elif w in ("Oc",):
                depth -= 1
            elif w == "Fl" and i + 1 < len(words):
                name = "-" + words[i + 1].rstrip(",")
                allopts.add(name)
                if depth == 0 and not opt_line:
                    req.add(name)
    return allopts, req


def common_options(man):
    text = man.split(".Sh OPTIONS", 1)[1].split(".Sh ", 1)[0]
    opts = set()
    # The OPTIONS section lists -v and -h too; they count everywhere.
    for line in text.splitlines():
        if line.startswith(".It "):
            for m in re.finditer(r"Fl (\S+)", line):
                opts.add("-" + m.group(1).rstrip(","))
    return opts


def main():
    binary, manpath = sys.argv[1], sys.argv[2]
    man = open(manpath, encoding="utf-8").read()
    common = common_options(man)
    syn = man_synopsis(man)
    for cmd in commands(binary):
        rc, out, _ = run(binary, cmd.split() + ["--help"])
        mine = [lines for name, lines in syn if name == cmd]
        if rc != 0 or not out:
            print("FAIL %s: --help exits %d" % (cmd, rc))
            continue
        if not mine:
            print("FAIL %s: no SYNOPSIS entry in %s" % (cmd, manpath))
            continue
        print("ok")
        # -h/--help everywhere, and --verbose as -v: not in a SYNOPSIS.
        help_opts = set(OPT.findall(out)) - {"-h", "--help", "--verbose"}
        man_all, man_req = set(), []
        uses_common = False
        for lines in mine:
            a, r = man_options(lines)
            man_all |= a
            man_req.append(r)
            uses_common |= any("common options" in l for l in lines)
        own = help_opts - common if uses_common else help_opts
        missing = sorted(own - man_all)
        extra = sorted(man_all - help_opts)
        print("FAIL %s: in --help, not in the SYNOPSIS: %s" %
              (cmd, " ".join(missing)) if missing else "ok")
        print("FAIL %s: in the SYNOPSIS, not in --help: %s" %
              (cmd, " ".join(extra)) if extra else "ok")
        if uses_common and not (help_opts & common):
            print("FAIL %s: SYNOPSIS says common options, --help has none" % cmd)
        else:
            print("ok")
        help_req = [help_required(e) for e in usage_entries(out, cmd)]
        if sorted(map(sorted, help_req)) != sorted(map(sorted, man_req)):
            print("FAIL %s: required options differ: --help %s, SYNOPSIS %s"
                  % (cmd, help_req, man_req))
        else:
            print("ok")
        required = set().union(*help_req) if help_req else set()
        # Every entry's required options must each be asked for.
        if required and all(help_req):
            rc, _, err = run(binary, cmd.split())
            named = [o for o in sorted(required) if o not in err]
            if rc != 2 or named:
                print("FAIL %s: without arguments: exit %d, not naming %s "
                      "(%s)" % (cmd, rc, " ".join(named), err.strip()[:200]))
            else:
                print("ok")


if __name__ == "__main__":
    main()
