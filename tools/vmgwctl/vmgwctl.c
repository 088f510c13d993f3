// SPDX-License-Identifier: GPL-2.0
/*
 * vmgwctl: configure vmgw devices and run VMMs on them.
 *
 * Devices are created and deleted over rtnetlink (link kind "vmgw");
 * everything else speaks the generic netlink family "vmgw" described by
 * Documentation/netlink/specs/vmgw.yaml. Errors print the kernel's extack
 * message.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "vmgwctl.h"

static const char usage_text[] =
"Usage: vmgwctl [OPTIONS] OBJECT COMMAND [ARGUMENTS]\n"
"\n"
"  dev add NAME [netns NS] [address MAC] [SETTING VALUE]...\n"
"  dev del NAME [netns NS]\n"
"  dev show [NAME]\n"
"  dev set NAME SETTING VALUE [SETTING VALUE]...\n"
"  rule add NAME allow|deny PREFIX [proto PROTO] [port PORT[-PORT]]\n"
"  rule del NAME allow|deny PREFIX [proto PROTO] [port PORT[-PORT]]\n"
"  rule del NAME all\n"
"  rule show [NAME]\n"
"  flow show [NAME]\n"
"  stats [NAME]\n"
"  monitor [count N]\n"
"  run NS NAME [fd N] [vhost [vhostfd M]] [no-vnet-hdr] -- VMM [ARGS...]\n"
"  stream NS NAME --listen PATH\n"
"  up NS NAME [--uplink] [--ipv4 ADDR/LEN] [--ipv6 ADDR/64|none] [--dns ADDR]...\n"
"             [--guest-ip ADDR]... [--guest-mac MAC] [--floor default|strict|off]\n"
"             [--open-host]\n"
"  down NS NAME\n"
"\n"
"SETTING: mtu N | g2h-ring N | h2g-ring N\n"
"         | mode open|allowlist | floor default|strict|off\n"
"         | guest-mac MAC | guest-ip ADDR | resolver ADDR | allow-host NAME\n"
"         | flow-cap N | flow-timeout-{syn,established,fin,closed} SECONDS\n"
"         | unset guest-mac|guest-ipv4|guest-ipv6|resolvers|allow-hosts\n"
"         (guest-ip: one IPv4 and up to 4 IPv6; guest-ip, resolver,\n"
"         allow-host and unset repeat; a list given replaces the old one)\n"
"\n"
"OPTIONS:\n"
"  -j, --json          JSON output (dev/rule/flow show, stats, monitor)\n"
"  -p, --pretty        indented JSON\n"
"  -n, --netns NS      run in network namespace NS (/run/netns/NS or a path)\n"
"  -h, --help          this text\n"
"\n"
"run opens /dev/vmgw in namespace NS, attaches it to device NAME there and\n"
"execs the VMM with the descriptor as fd N (default 3); \"{fd}\" in its\n"
"arguments becomes that number, e.g. -netdev tap,id=n0,fd={fd}. With vhost\n"
"it also opens /dev/vhost-vmgw as fd M (default N + 1) for \"{vhostfd}\",\n"
"e.g. -netdev tap,id=n0,fd={fd},vhost=on,vhostfd={vhostfd}.\n"
"stream bridges a unix stream socket speaking QEMU's -netdev stream framing\n"
"(4-byte big-endian length, then the frame) to a device.\n"
"up makes namespace NS with device NAME, gateway addresses (default\n"
"10.0.2.2/24 and fd76:6d67:7700::2/64) and dnsmasq (DHCP, RA, DNS); --uplink\n"
"adds a NATed veth to this namespace. down removes all of it.\n"
"By default the guest reaches the internet through the uplink and DHCP and\n"
"DNS of the gateway's dnsmasq, and nothing else of this host: strict floor\n"
"(RFC 1918, CGNAT, loopback, link-local and 169.254.169.254, ULA), DNS only\n"
"to the gateway, every address of this host and of the gateway denied, the\n"
"uplink taking only answers into this host, the guest bound to the one\n"
"address DHCP gives (.15, or --guest-ip) and to --guest-mac. --floor opens\n"
"the host's private networks, --open-host the host's own addresses.\n"
"\n"
"Exit status: 0 done, 1 refused or failed, 2 bad usage.\n"
"See vmgwctl(8).\n";

static const struct {
	const char *name;
	int (*fn)(struct ctl *c, int argc, char **argv);
} objects[] = {
	{ "dev", cmd_dev },
	{ "rule", cmd_rule },
	{ "flow", cmd_flow },
	{ "stats", cmd_stats },
	{ "monitor", cmd_monitor },
	{ "run", cmd_run },
	{ "stream", cmd_stream },
	{ "up", cmd_up },
	{ "down", cmd_down },
};

/**
 * vmgw_attach() - open /dev/vmgw in a namespace and attach it to a device
 * @netns: namespace of the device
 * @name: the vmgw device
 * @vnet_hdr: IFF_VNET_HDR (what QEMU's tap backend wants)
 *
 * The file keeps working in any namespace; the caller stays in its own.
 *
 * Return: the attached descriptor (close-on-exec), or -1 after a message.
 */
int vmgw_attach(const char *netns, const char *name, bool vnet_hdr)
{
	struct ifreq ifr = {};
	int nsfd, saved, fd, err;

	nsfd = netns_open(netns);
	if (nsfd < 0)
		return -1;
	saved = netns_enter(nsfd, netns);
	close(nsfd);
	if (saved < 0)
		return -1;
	fd = open("/dev/vmgw", O_RDWR | O_CLOEXEC);
	err = fd < 0 ? errno : 0;
	if (fd >= 0) {
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
		ifr.ifr_flags = IFF_TAP | IFF_NO_PI | (vnet_hdr ? IFF_VNET_HDR : 0);
		if (ioctl(fd, TUNSETIFF, &ifr)) {
			err = errno;
			close(fd);
			fd = -1;
		}
	}
	if (netns_leave(saved)) {
		fprintf(stderr, "Error: leaving netns %s\n", netns);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (fd < 0)
		fprintf(stderr, "Error: attaching /dev/vmgw to %s in netns %s: %s\n",
			name, netns, strerror(err));
	return fd;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "netns", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	struct ctl c = {};
	const char *netns = NULL;
	bool pretty = false;
	size_t i;
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+jpn:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			c.json = true;
			break;
		case 'p':
			pretty = true;
			break;
		case 'n':
			netns = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			fprintf(stderr, "vmgwctl: bad option '%s' (see vmgwctl --help)\n",
				argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	json_init(&c.j, stdout, pretty);
	if (optind >= argc)
		return usage_error("vmgwctl", "an object is required");
	if (!strcmp(argv[optind], "help")) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (netns) {
		int nsfd = netns_open(netns), saved;

		if (nsfd < 0)
			return EXIT_FAIL;
		saved = netns_enter(nsfd, netns);
		close(nsfd);
		if (saved < 0)
			return EXIT_FAIL;
		close(saved);
	}
	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++)
		if (!strcmp(argv[optind], objects[i].name))
			return objects[i].fn(&c, argc - optind - 1,
					     argv + optind + 1);
	fprintf(stderr, "vmgwctl: unknown object '%s' (see vmgwctl --help)\n",
		argv[optind]);
	return EXIT_USAGE;
}
