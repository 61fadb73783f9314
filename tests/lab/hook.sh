#!/bin/sh
# hook.sh ACTION - a lab's hook for `cyanprobe qa test` (--down-cmd,
# --up-cmd, --renumber-cmd, --restart-cmd), as a real lab's power switch or
# managed switch would be: ACTION is wan_down, wan_up, wan_renumber or
# router_restart, applied to the lab named by LAB_PREFIX, LAB_DIR,
# LAB_SCENARIO and LAB_DHCP_IMPL (default dnsmasq) in the environment (a
# caller of lib.sh exports them after lab_up).  Runs from any namespace; needs root.
set -u
LAB_HOOK_PREFIX=${LAB_PREFIX:?} LAB_HOOK_DIR=${LAB_DIR:?}
LAB_HOOK_SCENARIO=${LAB_SCENARIO:?}
cd "$(dirname "$0")/../.." || exit 3
. tests/lab/lib.sh
LAB_PREFIX=$LAB_HOOK_PREFIX LAB_DIR=$LAB_HOOK_DIR
LAB_SCENARIO=$LAB_HOOK_SCENARIO
LAB_NS_CLIENT="${LAB_PREFIX}c" LAB_NS_ROUTER="${LAB_PREFIX}r"
LAB_NS_UP="${LAB_PREFIX}u"
case ${1:-} in
wan_down) lab_wan_down ;;
wan_up) lab_wan_up ;;
wan_renumber) lab_wan_renumber ;;
router_restart) lab_router_restart ;;
*) echo "usage: hook.sh wan_down|wan_up|wan_renumber|router_restart" >&2
   exit 2 ;;
esac
