package cli

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLayers keeps the dependency direction of DESIGN.md true: the pure core
// (roster, names, match, cluster, review, synth, eval) touches no SQL, HTTP
// or files of its own, only store speaks SQL, only web speaks HTTP, and
// nothing imports cli or web.
func TestLayers(t *testing.T) {
	const mod = "github.com/roster-coalition/roster/"
	forbidden := map[string][]string{
		"internal/roster":   {mod + "internal/", "database/sql", "net/http"},
		"internal/names":    {mod + "internal/store", mod + "internal/cli", mod + "internal/web", "database/sql", "net/http"},
		"internal/match":    {mod + "internal/store", mod + "internal/cli", mod + "internal/web", "database/sql", "net/http"},
		"internal/cluster":  {mod + "internal/store", mod + "internal/cli", mod + "internal/web", "database/sql", "net/http"},
		"internal/review":   {mod + "internal/store", mod + "internal/cli", mod + "internal/web", "database/sql", "net/http"},
		"internal/eval":     {mod + "internal/store", mod + "internal/cli", mod + "internal/web", "database/sql", "net/http"},
		"internal/importer": {mod + "internal/store", mod + "internal/cli", mod + "internal/web", "database/sql", "net/http"},
		"internal/export":   {mod + "internal/store", mod + "internal/cli", mod + "internal/web", "database/sql", "net/http"},
		"internal/store":    {mod + "internal/cli", mod + "internal/web", "net/http"},
		"internal/web":      {mod + "internal/cli", mod + "internal/store", "database/sql"},
	}
	// The pure core may not read files or the environment itself.
	for _, pkg := range []string{"internal/names", "internal/match", "internal/cluster", "internal/review", "internal/eval"} {
		out, err := exec.Command("go", "list", "-f", `{{join .Imports " "}}`, "../../"+pkg).Output()
		if err != nil {
			t.Logf("go list %s: %v", pkg, err)
			continue
		}
		for _, imp := range strings.Fields(string(out)) {
			if imp == "os" || imp == "io/ioutil" || imp == "log" || imp == "log/slog" {
				t.Errorf("%s imports %s: the core is pure", pkg, imp)
			}
		}
	}
	for pkg, bad := range forbidden {
		out, err := exec.Command("go", "list", "-deps", "../../"+pkg).Output()
		if err != nil {
			// A package not built yet is not a layering violation.
			t.Logf("go list %s: %v", pkg, err)
			continue
		}
		for _, dep := range strings.Fields(string(out)) {
			for _, b := range bad {
				if dep == b || (strings.HasSuffix(b, "/") && strings.HasPrefix(dep, b) && !strings.HasPrefix(dep, mod+pkg)) {
					t.Errorf("%s imports %s", pkg, dep)
				}
			}
		}
	}
}
