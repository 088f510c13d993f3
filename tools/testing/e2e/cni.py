#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Run a CNI network configuration list the way a container runtime does.

  cni.py add|check|del CONFLIST CONTAINERID NETNS IFNAME
         [--cache DIR] [--cap KEY=JSON]... [--path DIR]

Each plugin of the list is executed from CNI_PATH with CNI_COMMAND,
CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME and CNI_PATH set and its network
configuration on stdin: the plugin's entry of the list with the list's
"name" and "cniVersion", "runtimeConfig" holding the capability
arguments (--cap) the plugin declares in "capabilities", and
"prevResult": for ADD the previous plugin's result, for CHECK and DEL the
cached result of the ADD. ADD runs the plugins in order and caches the
last result (printed on stdout), CHECK in order, DEL in reverse order and
then drops the cache. A plugin that fails ends the run: its stdout (the
CNI error object) is printed, and the exit status is 1.
"""
import argparse
import json
import os
import subprocess
import sys


def plugin_conf(conflist, plugin, caps, prev):
    conf = dict(plugin)
    conf["name"] = conflist["name"]
    conf["cniVersion"] = conflist["cniVersion"]
    rt = {k: v for k, v in caps.items()
          if plugin.get("capabilities", {}).get(k)}
    if rt:
        conf["runtimeConfig"] = rt
    if prev is not None:
        conf["prevResult"] = prev
    return conf


def run_plugin(cmd, conf, args):
    env = dict(os.environ)
    env.update(CNI_COMMAND=cmd, CNI_CONTAINERID=args.containerid,
               CNI_NETNS=args.netns, CNI_IFNAME=args.ifname,
               CNI_PATH=args.path)
    exe = None
    for d in args.path.split(":"):
        if os.access(os.path.join(d, conf["type"]), os.X_OK):
            exe = os.path.join(d, conf["type"])
            break
    if exe is None:
        print(json.dumps({"cniVersion": conf["cniVersion"], "code": 5,
                          "msg": "no plugin %s in %s" % (conf["type"],
                                                         args.path)}))
        sys.exit(1)
    p = subprocess.run([exe], input=json.dumps(conf).encode(), env=env,
                       stdout=subprocess.PIPE)
    if p.returncode != 0:
        sys.stdout.write(p.stdout.decode())
        sys.stderr.write("cni.py: %s %s failed (exit %d)\n"
                         % (conf["type"], cmd, p.returncode))
        sys.exit(1)
    out = p.stdout.decode().strip()
    return json.loads(out) if out else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("command", choices=["add", "check", "del"])
    ap.add_argument("conflist")
    ap.add_argument("containerid")
    ap.add_argument("netns")
    ap.add_argument("ifname")
    ap.add_argument("--cache", default="/var/lib/cni/results")
    ap.add_argument("--cap", action="append", default=[])
    ap.add_argument("--path", default="/usr/lib/cni")
    args = ap.parse_args()
    with open(args.conflist) as f:
        conflist = json.load(f)
    caps = {}
    for c in args.cap:
        k, v = c.split("=", 1)
        caps[k] = json.loads(v)
    os.makedirs(args.cache, exist_ok=True)
    cache = os.path.join(args.cache, "%s-%s-%s" % (
        conflist["name"], args.containerid, args.ifname))
    plugins = conflist["plugins"]
    if args.command == "add":
        prev = None
        for p in plugins:
            prev = run_plugin("ADD", plugin_conf(conflist, p, caps, prev),
                              args)
        with open(cache, "w") as f:
            json.dump(prev, f)
        print(json.dumps(prev))
        return
    cached = None
    if os.path.exists(cache):
        with open(cache) as f:
            cached = json.load(f)
    if args.command == "check":
        if cached is None:
            print("cni.py: no cached result for CHECK", file=sys.stderr)
            sys.exit(1)
        for p in plugins:
            run_plugin("CHECK", plugin_conf(conflist, p, caps, cached), args)
        return
    for p in reversed(plugins):
        run_plugin("DEL", plugin_conf(conflist, p, caps, cached), args)
    if os.path.exists(cache):
        os.unlink(cache)


if __name__ == "__main__":
    main()
