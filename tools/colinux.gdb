# gdb setup for debugging a colinux guest kernel inside the monitor.
#   gdb -x tools/colinux.gdb --args build/colinux run --kernel build/vmlinux
# The guest kernel is ordinary code in the monitor's address space, linked
# at a fixed address: its symbols load as they are, no offset needed.

# The vCPU's timer interrupts and the kernel's own lazy vmalloc faults
# are host signals: let them through silently.
handle SIGALRM nostop noprint pass
handle SIGSEGV nostop noprint pass
handle SIGBUS nostop noprint pass
set pagination off

add-symbol-file build/vmlinux

# Guest RAM is mapped when the monitor starts the vCPU; kernel breakpoints
# can only be inserted after that. `kbreak FUNC` sets one then.
define kbreak
  tbreak vcpu_start
  run
  break $arg0
  continue
end
document kbreak
Run the monitor and stop at guest kernel function ARG0: kbreak start_kernel
end
