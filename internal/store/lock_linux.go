package store

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// walWriteLock is the byte of the -shm file that SQLite's unix VFS locks
// for writing while a connection holds the WAL write lock
// (WALINDEX_LOCK_OFFSET 120 + WAL_WRITE_LOCK 0).
const walWriteLock = 120

// lockHolder names the process that holds the database's write lock, from
// the POSIX locks the kernel lists in /proc/locks: "roster import (PID
// 4242)", or "another process" when it cannot tell.
func lockHolder(path string) string {
	pid := walWriter(path + "-shm")
	switch pid {
	case 0:
		return "another process"
	case os.Getpid():
		return "another connection of this process"
	}
	cmd, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return fmt.Sprintf("process %d", pid)
	}
	return describeCommand(pid, strings.Split(strings.TrimRight(string(cmd), "\x00"), "\x00"))
}

// walWriter returns the PID holding a write lock on walWriteLock of shm,
// or 0.
func walWriter(shm string) int {
	fi, err := os.Stat(shm)
	if err != nil {
		return 0
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0
	}
	locks, err := os.ReadFile("/proc/locks")
	if err != nil {
		return 0
	}
	ino := ":" + strconv.FormatUint(st.Ino, 10)
	sc := bufio.NewScanner(bytes.NewReader(locks))
	for sc.Scan() {
		// 1: POSIX  ADVISORY  WRITE 4242 08:02:1234567 120 120
		f := strings.Fields(sc.Text())
		if len(f) < 8 || f[1] != "POSIX" || f[3] != "WRITE" || !strings.HasSuffix(f[5], ino) {
			continue
		}
		lo, err1 := strconv.ParseInt(f[6], 10, 64)
		hi, err2 := strconv.ParseInt(f[7], 10, 64)
		if err1 != nil || lo > walWriteLock || err2 == nil && hi < walWriteLock {
			continue
		}
		if pid, err := strconv.Atoi(f[4]); err == nil {
			return pid
		}
	}
	return 0
}
