package cli

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLayers keeps the dependency direction of DESIGN.md true: only store
// speaks SQL, only web speaks HTTP, the pure core reads no files, the
// use-cases sit in app (below cli, beside web), and nothing imports cli or
// web. Module packages are checked over all
// dependencies (go list -deps); standard-library packages over the
// package's own imports, since libraries such as excelize use net/http's
// content sniffing internally.
func TestLayers(t *testing.T) {
	const mod = "github.com/roster-coalition/roster/"
	pure := []string{"os", "io/ioutil", "log", "log/slog", "database/sql", "net/http"}
	rules := map[string]struct {
		deps    []string // module packages that must not appear in -deps
		imports []string // packages that must not be imported directly
	}{
		"internal/roster":   {deps: []string{mod + "internal/names", mod + "internal/store", mod + "internal/cli", mod + "internal/web"}, imports: pure},
		"internal/names":    {deps: []string{mod + "internal/store", mod + "internal/cli", mod + "internal/web", mod + "internal/match"}, imports: pure},
		"internal/match":    {deps: []string{mod + "internal/store", mod + "internal/cli", mod + "internal/web", mod + "internal/cluster"}, imports: pure},
		"internal/cluster":  {deps: []string{mod + "internal/store", mod + "internal/cli", mod + "internal/web", mod + "internal/review"}, imports: pure},
		"internal/review":   {deps: []string{mod + "internal/store", mod + "internal/cli", mod + "internal/web"}, imports: pure},
		"internal/eval":     {deps: []string{mod + "internal/store", mod + "internal/cli", mod + "internal/web"}, imports: pure},
		"internal/estimate": {deps: []string{mod + "internal/store", mod + "internal/cli", mod + "internal/web", mod + "internal/match", mod + "internal/names"}, imports: pure},
		"internal/i18n":     {deps: []string{mod + "internal/store", mod + "internal/cli", mod + "internal/web"}, imports: pure},
		"internal/report":   {deps: []string{mod + "internal/store", mod + "internal/cli", mod + "internal/web"}, imports: pure},
		// The audience filter decides what each audience sees, from values.
		"internal/audience": {deps: []string{mod + "internal/store", mod + "internal/cli", mod + "internal/web", mod + "internal/app"}, imports: pure},
		// synth's transliteration is independent of the engine it measures (see its package doc).
		"internal/synth":         {deps: []string{mod + "internal/store", mod + "internal/cli", mod + "internal/web", mod + "internal/names", mod + "internal/match"}, imports: []string{"database/sql", "net/http"}},
		"internal/importer":      {deps: []string{mod + "internal/store", mod + "internal/cli", mod + "internal/web"}, imports: []string{"database/sql", "net/http"}},
		"internal/importer/docs": {deps: []string{mod + "internal/store", mod + "internal/cli", mod + "internal/web"}, imports: []string{"database/sql", "net/http", "os"}},
		// Manifests are hashed and verified at the export edge: no database.
		"internal/manifest": {deps: []string{mod + "internal/store", mod + "internal/cli", mod + "internal/web", mod + "internal/app"}, imports: []string{"database/sql", "net/http"}},
		"internal/export":   {deps: []string{mod + "internal/store", mod + "internal/cli", mod + "internal/web"}, imports: []string{"database/sql", "net/http"}},
		"internal/store":    {deps: []string{mod + "internal/cli", mod + "internal/web", mod + "internal/app"}, imports: []string{"net/http"}},
		"internal/app":      {deps: []string{mod + "internal/cli", mod + "internal/web"}, imports: []string{"database/sql", "net/http"}},
		"internal/web":      {deps: []string{mod + "internal/cli", mod + "internal/store", mod + "internal/app", mod + "internal/webstore"}, imports: []string{"database/sql"}},
		// webstore wires the store and the use-cases into web's interfaces.
		"internal/webstore": {deps: []string{mod + "internal/cli"}, imports: []string{"database/sql"}},
		// The use-cases (match and save, rebuild the queue) live in app.
		"internal/cli": {imports: []string{mod + "internal/cluster"}},
	}
	for pkg, r := range rules {
		deps, err := exec.Command("go", "list", "-deps", "../../"+pkg).Output()
		if err != nil {
			t.Errorf("go list -deps %s: %v", pkg, err)
			continue
		}
		for _, dep := range strings.Fields(string(deps)) {
			for _, bad := range r.deps {
				if dep == bad {
					t.Errorf("%s depends on %s", pkg, dep)
				}
			}
		}
		imps, err := exec.Command("go", "list", "-f", `{{join .Imports " "}}`, "../../"+pkg).Output()
		if err != nil {
			t.Errorf("go list %s: %v", pkg, err)
			continue
		}
		for _, imp := range strings.Fields(string(imps)) {
			for _, bad := range r.imports {
				if imp == bad {
					t.Errorf("%s imports %s", pkg, imp)
				}
			}
		}
	}
}
