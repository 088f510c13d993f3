// SPDX-License-Identifier: GPL-2.0
/*
 * vmgw: in-kernel network gateway for microVM guests.
 *
 * Module entry points. Everything the module registers is registered here,
 * in one place, and unregistered in reverse order.
 */
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <net/rtnetlink.h>
#include <uapi/linux/vmgw.h>

#include "vmgw.h"

static int __init vmgw_init(void)
{
	int err;

	err = rtnl_link_register(&vmgw_link_ops);
	if (err)
		return err;
	err = vmgw_chrdev_register();
	if (err)
		goto unregister_link;
	return 0;

unregister_link:
	rtnl_link_unregister(&vmgw_link_ops);
	return err;
}

static void __exit vmgw_exit(void)
{
	/* No file is open: each holds a module reference. */
	vmgw_chrdev_unregister();
	/* Deletes every vmgw device left, in every namespace. */
	rtnl_link_unregister(&vmgw_link_ops);
	/* Replaced policy configurations are freed by callbacks in here. */
	rcu_barrier();
}

module_init(vmgw_init);
module_exit(vmgw_exit);

MODULE_DESCRIPTION("vmgw: in-kernel network gateway for microVM guests");
MODULE_AUTHOR("vmgw developers");
MODULE_LICENSE("GPL");
MODULE_ALIAS_RTNL_LINK(VMGW_LINK_KIND);
MODULE_ALIAS_MISCDEV(VMGW_MINOR);
MODULE_ALIAS("devname:" VMGW_DRV_NAME);
