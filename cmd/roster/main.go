// Command roster merges civil-society lists of political prisoners into one
// verifiable registry. See README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/roster-coalition/roster/internal/cli"
)

func main() {
	// Ctrl-C and SIGTERM (systemd, docker stop) cancel ctx: roster serve
	// then finishes the requests in flight and exits.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
