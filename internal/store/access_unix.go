//go:build unix

package store

import "golang.org/x/sys/unix"

const (
	accessRead  = unix.R_OK
	accessWrite = unix.W_OK
)

// access asks the system whether this user may read or write path (what
// it would answer to open(2), read-only file systems included).
func access(path string, mode uint32) error { return unix.Access(path, mode) }
