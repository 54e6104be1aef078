package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/names"
)

// newNamesCmd is "roster names": tools around the name engine.
func newNamesCmd(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "names",
		Short: "Inspect how the name engine reads and compares names",
	}
	cmd.AddCommand(newNamesExplainCmd(g))
	return cmd
}

type namesExplainOptions struct {
	JSON bool
}

func newNamesExplainCmd(_ *globalOptions) *cobra.Command {
	var opts namesExplainOptions
	cmd := &cobra.Command{
		Use:   "explain NAME [NAME2]",
		Short: "Show the parse and keys of a name, and how two names compare",
		Long: `Explain shows how the name engine reads a name as printed — surname, given
name, patronymic, surname form, likely gender, the cues it used — with its
transliterations and its comparison keys. Given two names it also compares
them part by part and lists the rules that fired, e.g. "Г ↔ h (Russian
route)" or "-ov ↔ -li surname form".`,
		Example: `  roster names explain "Ilgar Eldar oglu MAMMADOV"
  roster names explain "Гасанов Ильхам" "Ilham Hasanov"
  roster names explain --json "Məmmədov Əli" "Mamedov Ali"`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) < 1 || len(args) > 2 {
				return usagef("names explain takes one or two names, got %d", len(args))
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			return runNamesExplain(c.OutOrStdout(), opts, args)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

type nameJSON struct {
	Raw              string   `json:"raw"`
	Script           string   `json:"script"`
	Surname          string   `json:"surname"`
	Given            string   `json:"given"`
	Patronymic       string   `json:"patronymic"`
	Form             string   `json:"form"`
	Gender           string   `json:"gender"`
	Cues             []string `json:"cues"`
	Display          string   `json:"display"`
	English          string   `json:"english"`
	Russian          string   `json:"russian"`
	SurnameKey       string   `json:"surname_key"`
	SurnameStem      string   `json:"surname_stem"`
	GivenKey         string   `json:"given_key"`
	PatronymicKey    string   `json:"patronymic_key"`
	SurnameCoarse    string   `json:"surname_coarse"`
	GivenCoarse      string   `json:"given_coarse"`
	PatronymicCoarse string   `json:"patronymic_coarse"`
	BlockingKeys     []string `json:"blocking_keys"`
}

type partJSON struct {
	Sim      float64  `json:"sim"`
	Missing  bool     `json:"missing"`
	Relation string   `json:"relation"`
	Rules    []string `json:"rules"`
}

type comparisonJSON struct {
	Surname    partJSON `json:"surname"`
	Given      partJSON `json:"given"`
	Patronymic partJSON `json:"patronymic"`
	Score      float64  `json:"score"`
	Same       bool     `json:"same"`
	Swapped    bool     `json:"swapped"`
	Rules      []string `json:"rules"`
}

type explainJSON struct {
	Names      []nameJSON      `json:"names"`
	Comparison *comparisonJSON `json:"comparison,omitempty"`
}

func toNameJSON(n names.Name) nameJSON {
	d := names.Display(n)
	return nameJSON{
		Raw: n.Raw, Script: n.Script, Surname: n.Surname, Given: n.Given, Patronymic: n.Patronymic,
		Form: string(n.Form), Gender: n.Gender, Cues: nonNil(n.Cues),
		Display: d, English: names.ToEnglish(d), Russian: names.ToRussian(d),
		SurnameKey: n.SurnameKey, SurnameStem: n.SurnameStem, GivenKey: n.GivenKey, PatronymicKey: n.PatronymicKey,
		SurnameCoarse: n.SurnameCoarse, GivenCoarse: n.GivenCoarse, PatronymicCoarse: n.PatronymicCoarse,
		BlockingKeys: nonNil(n.BlockingKeys()),
	}
}

func toPartJSON(p names.PartScore) partJSON {
	return partJSON{Sim: round3(p.Sim), Missing: p.Missing, Relation: p.Relation, Rules: nonNil(p.Rules)}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func round3(x float64) float64 { return float64(int(x*1000+0.5)) / 1000 }

func runNamesExplain(w io.Writer, opts namesExplainOptions, args []string) error {
	var parsed []names.Name
	for _, a := range args {
		parsed = append(parsed, names.Parse(a))
	}
	var cmp *names.Comparison
	if len(parsed) == 2 {
		c := names.Compare(parsed[0], parsed[1])
		cmp = &c
	}
	if opts.JSON {
		out := explainJSON{}
		for _, n := range parsed {
			out.Names = append(out.Names, toNameJSON(n))
		}
		if cmp != nil {
			out.Comparison = &comparisonJSON{
				Surname: toPartJSON(cmp.Surname), Given: toPartJSON(cmp.Given), Patronymic: toPartJSON(cmp.Patronymic),
				Score: round3(cmp.Score), Same: cmp.Same, Swapped: cmp.Swapped, Rules: nonNil(cmp.Rules),
			}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	}
	for i, n := range parsed {
		if i > 0 {
			fmt.Fprintln(w)
		}
		writeNameExplain(w, n)
	}
	if cmp != nil {
		fmt.Fprintln(w)
		writeComparison(w, *cmp)
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func writeNameExplain(w io.Writer, n names.Name) {
	j := toNameJSON(n)
	fmt.Fprintf(w, "name:        %s\n", n.Raw)
	fmt.Fprintf(w, "script:      %s\n", orDash(n.Script))
	fmt.Fprintf(w, "surname:     %s (form %s)\n", orDash(n.Surname), n.Form)
	fmt.Fprintf(w, "given:       %s\n", orDash(n.Given))
	fmt.Fprintf(w, "patronymic:  %s\n", orDash(n.Patronymic))
	fmt.Fprintf(w, "gender:      %s\n", orDash(n.Gender))
	fmt.Fprintf(w, "cues:        %s\n", orDash(strings.Join(n.Cues, "; ")))
	fmt.Fprintf(w, "display:     %s\n", orDash(j.Display))
	fmt.Fprintf(w, "english:     %s\n", orDash(j.English))
	fmt.Fprintf(w, "russian:     %s\n", orDash(j.Russian))
	fmt.Fprintf(w, "keys:        surname %s (stem %s, coarse %s); given %s (coarse %s); patronymic %s (coarse %s)\n",
		orDash(n.SurnameKey), orDash(n.SurnameStem), orDash(n.SurnameCoarse),
		orDash(n.GivenKey), orDash(n.GivenCoarse), orDash(n.PatronymicKey), orDash(n.PatronymicCoarse))
	fmt.Fprintf(w, "blocking:    %s\n", orDash(strings.Join(j.BlockingKeys, " ")))
}

func writeComparison(w io.Writer, c names.Comparison) {
	fmt.Fprintln(w, "comparison:")
	part := func(label string, p names.PartScore) {
		if p.Missing {
			fmt.Fprintf(w, "  %-11s missing", label+":")
		} else {
			fmt.Fprintf(w, "  %-11s %-9s %.2f", label+":", p.Relation, p.Sim)
		}
		if len(p.Rules) > 0 {
			fmt.Fprintf(w, "  (%s)", strings.Join(p.Rules, "; "))
		}
		fmt.Fprintln(w)
	}
	part("surname", c.Surname)
	part("given", c.Given)
	part("patronymic", c.Patronymic)
	verdict := "different names"
	if c.Same {
		verdict = "same name"
	}
	if c.Swapped {
		verdict += " (parts matched crosswise)"
	}
	fmt.Fprintf(w, "  score:      %.2f — %s\n", c.Score, verdict)
	if len(c.Rules) > 0 {
		fmt.Fprintln(w, "  rules:")
		for _, r := range c.Rules {
			fmt.Fprintf(w, "    - %s\n", r)
		}
	}
}
