//go:build !linux

package cli

import (
	"errors"
	"os"
)

// isTerminal reports whether f is a character device (a terminal, most
// likely); prompting without echo is only implemented on Linux.
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func readNoEcho(*os.File) (string, error) {
	return "", errors.New("cannot turn off echo on this system: pipe the password on stdin (roster user add NAME < file)")
}
