#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""unchroot.py ROOT PROGRAM [ARGS...]: run PROGRAM outside the chroot.

The test VM runs everything chrooted into the host's root, mounted at ROOT
(/host) in the VM's own root, and the kernel refuses to create user
namespaces from inside a chroot: passt sandboxes itself in one. This
leaves the chroot (root may) and runs PROGRAM, a dynamically linked binary
of the host's root, through the host's dynamic loader and libraries; the
paths PROGRAM is given must then be seen from the VM's root (ROOT/...).
"""

import os
import sys

root, prog, args = sys.argv[1], sys.argv[2], sys.argv[3:]
# Resolve while still inside: the host's symlinks are absolute.
loader = root + os.path.realpath("/lib64/ld-linux-x86-64.so.2")
prog = root + os.path.realpath(prog)
libs = ":".join(root + os.path.realpath(d) for d in
                ("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu"))
os.makedirs("/tmp/unchroot", exist_ok=True)
old = os.open("/", os.O_RDONLY)
os.chroot("/tmp/unchroot")
os.fchdir(old)
for _ in range(64):
    os.chdir("..")
os.chroot(".")
os.chdir("/")
os.execv(loader, [loader, "--library-path", libs, prog] + args)
