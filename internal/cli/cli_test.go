package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"roster": func() {
			os.Exit(Run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
		},
	})
}

// TestScripts runs the CLI scripts in testdata/script: each is a txtar
// archive of commands and expected output, and doubles as documentation.
// $FIXTURES is the repository's fixtures directory; $SHARED is ../shared.
func TestScripts(t *testing.T) {
	fixtures, err := filepath.Abs("../../fixtures")
	if err != nil {
		t.Fatal(err)
	}
	shared, _ := filepath.Abs("../../../shared")
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("FIXTURES", fixtures)
			env.Setenv("SHARED", shared)
			env.Setenv("ROSTER_DB", filepath.Join(env.WorkDir, "roster.db"))
			env.Setenv("ROSTER_NOW", "2026-01-15T10:00:00Z")
			env.Setenv("USER", "tester")
			// A reason one character over the cap.
			env.Setenv("LONG", strings.Repeat("x", 4001))
			return nil
		},
		UpdateScripts: os.Getenv("UPDATE_SCRIPTS") == "1",
	})
}
