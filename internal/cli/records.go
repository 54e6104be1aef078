package cli

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/roster"
)

type recordsOptions struct {
	*globalOptions
	Source  string
	Edition string
	JSON    bool
}

func newRecordsCmd(g *globalOptions) *cobra.Command {
	opts := &recordsOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "records --source S [--edition E]",
		Short: "The records of one edition (default: the latest) as stored, in file order",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return runRecords(cmd.Context(), opts) },
	}
	cmd.Flags().StringVar(&opts.Source, "source", "", "source slug (required)")
	cmd.Flags().StringVar(&opts.Edition, "edition", "", "edition YYYY-MM-DD (default: the latest)")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	_ = cmd.MarkFlagRequired("source")
	return cmd
}

// recordJSON is a record in --json output.
type recordJSON struct {
	Source     string   `json:"source"`
	Edition    string   `json:"edition"`
	Ref        string   `json:"record_ref"`
	Row        int      `json:"row"`
	Location   string   `json:"location,omitempty"`
	Name       string   `json:"name"`
	Surname    string   `json:"surname"`
	Given      string   `json:"given"`
	Patronymic string   `json:"patronymic"`
	Aliases    []string `json:"aliases,omitempty"` // from the list's alias columns, as written
	BirthYear  int      `json:"birth_year"`
	BirthDate  string   `json:"birth_date,omitempty"`
	Gender     string   `json:"gender,omitempty"`
	Group      string   `json:"group"`
	GroupRaw   string   `json:"group_raw"`
	Case       string   `json:"case"`
	ArrestDate string   `json:"arrest_date"`
	Sentence   string   `json:"sentence,omitempty"`
	Status     string   `json:"status,omitempty"`
	Charges    string   `json:"charges,omitempty"`
	Place      string   `json:"place,omitempty"`
	Notes      string   `json:"notes,omitempty"`
	Raw        string   `json:"raw"`
}

func toRecordJSON(r roster.Record) recordJSON {
	return recordJSON{Source: r.Source, Edition: r.Edition, Ref: r.Ref, Row: r.Row, Location: r.Location, Name: r.Name,
		Surname: r.Surname, Given: r.Given, Patronymic: r.Patronymic, Aliases: r.Aliases, BirthYear: r.BirthYear, BirthDate: r.BirthDate,
		Gender: r.Gender, Group: r.Group, GroupRaw: r.GroupRaw, Case: r.Case, ArrestDate: r.ArrestDate,
		Sentence: r.Sentence, Status: r.Status, Charges: r.Charges, Place: r.Place, Notes: r.Notes, Raw: r.Raw}
}

func runRecords(ctx context.Context, opts *recordsOptions) error {
	s, err := opts.openReader(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	recs, err := s.Records(ctx, opts.Source, opts.Edition)
	if err != nil {
		return err
	}
	if opts.JSON {
		out := []recordJSON{}
		for _, r := range recs {
			out = append(out, toRecordJSON(r))
		}
		return writeJSON(opts.Stdout, out)
	}
	tw := tabwriter.NewWriter(opts.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "REF\tNAME\tBORN\tGROUP\tCASE\tARRESTED")
	for _, r := range recs {
		born := ""
		if r.BirthYear > 0 {
			born = fmt.Sprint(r.BirthYear)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Ref, r.Name, born, orRaw(r.Group, r.GroupRaw), r.Case, r.ArrestDate)
	}
	return tw.Flush()
}
