// Command roster merges civil-society lists of political prisoners into one
// verifiable registry. See README.md.
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/roster-coalition/roster/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
