// SPDX-License-Identifier: GPL-2.0
/*
 * vmgw: in-kernel network gateway for microVM guests.
 *
 * Module entry points. Everything the module registers is registered here,
 * in one place, and unregistered in reverse order.
 */
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>
#include <uapi/linux/vmgw.h>

#include "netlink.h"
#include "vmgw.h"

static int __init vmgw_init(void)
{
	int err;

	/* First: attach and detach notify the family's events group. */
	err = vmgw_nl_register();
	if (err)
		return err;
	err = rtnl_link_register(&vmgw_link_ops);
	if (err)
		goto unregister_nl;
	err = vmgw_chrdev_register();
	if (err)
		goto unregister_link;
	err = vmgw_vhost_register();
	if (err)
		goto unregister_chrdev;
	return 0;

unregister_chrdev:
	vmgw_chrdev_unregister();
unregister_link:
	rtnl_link_unregister(&vmgw_link_ops);
unregister_nl:
	vmgw_nl_unregister();
	return err;
}

static void __exit vmgw_exit(void)
{
	/* No file is open: each holds a module reference. */
	vmgw_vhost_unregister();
	vmgw_chrdev_unregister();
	/* Deletes every vmgw device left, in every namespace. */
	rtnl_link_unregister(&vmgw_link_ops);
	vmgw_nl_unregister();
	/* Replaced policy configurations are freed by callbacks in here. */
	rcu_barrier();
}

module_init(vmgw_init);
module_exit(vmgw_exit);

MODULE_DESCRIPTION("vmgw: in-kernel network gateway for microVM guests");
MODULE_AUTHOR("vmgw developers");
MODULE_LICENSE("GPL");
MODULE_ALIAS_RTNL_LINK(VMGW_LINK_KIND);
MODULE_ALIAS_GENL_FAMILY(VMGW_FAMILY_NAME);
MODULE_ALIAS_MISCDEV(VMGW_MINOR);
MODULE_ALIAS("devname:" VMGW_DRV_NAME);
