/**
 * A small machine described as data, for the machine rules' tests and the ❌/✅ examples of their
 * docs pages: lint results must not depend on the kernel or binaries of whoever runs the tests.
 * The names and fields are copied from a real 6.x kernel (BTF, tracefs) and a Debian /bin/bash.
 */
import { machineFromFacts, type Machine } from "@bt/system";

const manyTcp = Array.from({ length: 1500 }, (_, i) => `tcp_generated_${i}`);

export const fixtureMachine: Machine = machineFromFacts({
  kernelFunctions: ["vfs_read", "vfs_readv", "vfs_write", "vfs_open", "do_sys_openat2", "tcp_sendmsg", "tcp_recvmsg", "tcp_v4_connect", ...manyTcp],
  modules: { ext4: ["ext4_file_open", "ext4_file_write_iter", "ext4_sync_fs"] },
  rawTracepoints: {
    "vmlinux:sched_switch": [["preempt", "bool"], ["prev", "struct task_struct *"], ["next", "struct task_struct *"], ["prev_state", "unsigned int"]],
    "vmlinux:sys_enter": [["regs", "struct pt_regs *"], ["id", "long int"]],
    "ext4:ext4_sync_fs": [["sb", "struct super_block *"], ["wait", "int"]],
  },
  btfFunctions: ["vfs_read", "vfs_write", "vfs_open", "do_sys_openat2", "tcp_sendmsg"],
  kernelSignatures: {
    vfs_read: { returnType: "ssize_t", params: [["file", "struct file *"], ["buf", "char *"], ["count", "size_t"], ["pos", "loff_t *"]] },
    vfs_open: { returnType: "int", params: [["path", "const struct path *"], ["file", "struct file *"]] },
  },
  tracepoints: {
    "syscalls:sys_enter_openat": [["common_pid", "int"], ["__syscall_nr", "int"], ["dfd", "int"], ["filename", "const char *"], ["flags", "int"], ["mode", "umode_t"]],
    "syscalls:sys_enter_open": [["common_pid", "int"], ["__syscall_nr", "int"], ["filename", "const char *"], ["flags", "int"], ["mode", "umode_t"]],
    "syscalls:sys_exit_openat": [["common_pid", "int"], ["__syscall_nr", "int"], ["ret", "long"]],
    "sched:sched_switch": [["prev_comm", "char[16]"], ["prev_pid", "pid_t"], ["next_comm", "char[16]"], ["next_pid", "pid_t"]],
  },
  structs: {
    task_struct: [["pid", "pid_t"], ["tgid", "pid_t"], ["comm", "char[16]"], ["mm", "struct mm_struct *"], ["real_parent", "struct task_struct *"], ["files", "struct files_struct *"]],
    mm_struct: [["pgd", "pgd_t *"], ["total_vm", "long unsigned int"]],
    file: [["f_path", "struct path"], ["f_inode", "struct inode *"], ["f_flags", "unsigned int"]],
    path: [["mnt", "struct vfsmount *"], ["dentry", "struct dentry *"]],
    inode: [["i_ino", "long unsigned int"], ["i_size", "loff_t"]],
  },
  binaries: {
    "/usr/bin/bash": { functions: ["readline", "readline_internal_char", "rl_set_prompt", "main"] },
    "/usr/lib/x86_64-linux-gnu/libc.so.6": { functions: ["malloc", "free", "calloc", "realloc"] },
    "/opt/app/addressbook": {
      functions: ["_ZN11AddressBook10AddContactERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEES7_i", "add_numbers", "main"],
      cpp: ["AddressBook::AddContact"],
      usdt: ["addressbook:contact_added"],
      parameters: {
        "AddressBook::AddContact": [["this", "AddressBook * const"], ["firstName", "const std::string &"], ["lastName", "const std::string &"], ["age", "int"]],
        add_numbers: [["a", "int"], ["b", "int"]],
      },
    },
  },
  enumValues: { BPF_MAP_TYPE_HASH: 1, TASK_RUNNING: 0 },
  aliases: { bash: "/usr/bin/bash", "/bin/bash": "/usr/bin/bash", libc: "/usr/lib/x86_64-linux-gnu/libc.so.6" },
});
