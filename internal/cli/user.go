package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/roster-coalition/roster/internal/store"
)

type userOptions struct {
	*globalOptions
	JSON    bool
	Role    string
	By      string
	Session string
}

func newUserCmd(g *globalOptions) *cobra.Command {
	opts := &userOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "user add|passwd|role|list|sessions|revoke|remove",
		Short: "Accounts of the web review UI, their roles and sessions",
		Long: `Accounts of the web review UI (roster serve). Every decision made in the UI
is recorded in the audit log under the analyst's name.

Roles: a viewer reads (and exports nothing private); an analyst also
decides review items; an admin also manages accounts, sources' scopes and
the review settings. The first account of a database is an admin; later
ones are analysts unless --role says otherwise. Once a database has
accounts, commands that change it name who acts (--by, default $USER),
and that account's role must allow it.

The password is read from stdin (the first line) or, on a terminal, prompted
for twice without echo. It is stored only as a bcrypt hash. Sessions are
kept in the database (a restart keeps them), end after 12 hours, and an
admin can end them at once (revoke).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return usagef("user: want add, passwd, role, list, sessions, revoke or remove")
		},
	}
	add := &cobra.Command{
		Use:   "add NAME [--role viewer|analyst|admin] [--by ADMIN]",
		Short: "Create an account (password from stdin or prompted)",
		Args:  cobra.ExactArgs(1),
		RunE:  func(cmd *cobra.Command, args []string) error { return runUserAdd(cmd.Context(), opts, args[0], false) },
	}
	add.Flags().StringVar(&opts.Role, "role", "", "viewer, analyst or admin (default: analyst; admin for the first account)")
	cmd.AddCommand(add)
	passwd := &cobra.Command{
		Use:   "passwd NAME [--by NAME]",
		Short: "Set a new password (ends the account's sessions); an admin's, or your own",
		Args:  cobra.ExactArgs(1),
		RunE:  func(cmd *cobra.Command, args []string) error { return runUserAdd(cmd.Context(), opts, args[0], true) },
	}
	cmd.AddCommand(passwd)
	role := &cobra.Command{
		Use:   "role NAME viewer|analyst|admin [--by ADMIN]",
		Short: "Change an account's role (the last admin stays an admin)",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runUserRole(cmd.Context(), opts, args[0], args[1])
		},
	}
	cmd.AddCommand(role)
	sessions := &cobra.Command{
		Use:   "sessions [NAME] [--json]",
		Short: "List the live sessions (of one account, or of all)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := ""
			if len(args) == 1 {
				name = args[0]
			}
			return runUserSessions(cmd.Context(), opts, name)
		},
	}
	sessions.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	cmd.AddCommand(sessions)
	revoke := &cobra.Command{
		Use:   "revoke NAME [--session ID] [--by ADMIN]",
		Short: "End an account's sessions at once (all, or the one with --session)",
		Args:  cobra.ExactArgs(1),
		RunE:  func(cmd *cobra.Command, args []string) error { return runUserRevoke(cmd.Context(), opts, args[0]) },
	}
	revoke.Flags().StringVar(&opts.Session, "session", "", "the session `ID` (from roster user sessions)")
	cmd.AddCommand(revoke)
	for _, c := range []*cobra.Command{add, passwd, role, revoke} {
		addByFlag(c, &opts.By, "who does it (an admin, once the database has accounts)")
	}
	list := &cobra.Command{
		Use:   "list",
		Short: "List the analyst accounts",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return runUserList(cmd.Context(), opts) },
	}
	list.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	cmd.AddCommand(list)
	remove := &cobra.Command{
		Use:   "remove NAME [--by ADMIN]",
		Short: "Delete an account and its sessions (its decisions stay in the audit log)",
		Args:  cobra.ExactArgs(1),
		RunE:  func(cmd *cobra.Command, args []string) error { return runUserRemove(cmd.Context(), opts, args[0]) },
	}
	addByFlag(remove, &opts.By, "who does it (an admin)")
	cmd.AddCommand(remove)
	return cmd
}

// readPassword reads a password: prompted twice without echo when stdin is
// a terminal, else the first line of stdin.
func readPassword(opts *userOptions, name string) (string, error) {
	if f, ok := opts.Stdin.(*os.File); ok && isTerminal(f) {
		fmt.Fprintf(opts.Stderr, "Password for %s: ", name)
		pw, err := readNoEcho(f)
		fmt.Fprintln(opts.Stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		fmt.Fprintf(opts.Stderr, "Again: ")
		again, err := readNoEcho(f)
		fmt.Fprintln(opts.Stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if pw != again {
			return "", usagef("the passwords differ")
		}
		return pw, nil
	}
	line, err := bufio.NewReader(opts.Stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from stdin: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", usagef("no password on stdin (give it as the first line, e.g. from a file or a password manager)")
	}
	return line, nil
}

func runUserAdd(ctx context.Context, opts *userOptions, name string, passwd bool) error {
	pw, err := readPassword(opts, name)
	if err != nil {
		return err
	}
	// Accounts may be set up before the first import: adding one creates
	// the database; changing a password needs it to exist.
	open := opts.createStore
	if passwd {
		open = opts.openStore
	}
	s, err := open(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if passwd {
		if opts.By != name {
			if err := s.Authorize(ctx, opts.By, store.RoleAdmin, "set someone else's password"); err != nil {
				return err
			}
		}
		if err := s.SetPassword(ctx, name, pw); err != nil {
			return err
		}
		fmt.Fprintf(opts.Stdout, "password of %s changed; their sessions are ended\n", name)
		return nil
	}
	if err := s.AddUserRole(ctx, opts.By, name, pw, opts.Role); err != nil {
		return err
	}
	role, err := s.RoleOf(ctx, name)
	if err != nil {
		return err
	}
	fmt.Fprintf(opts.Stdout, "user %s added (%s)\n", name, role)
	return nil
}

func runUserList(ctx context.Context, opts *userOptions) error {
	s, err := opts.openReader(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	users, err := s.Users(ctx)
	if err != nil {
		return err
	}
	if opts.JSON {
		type userJSON struct {
			Name      string `json:"name"`
			Role      string `json:"role"`
			CreatedAt string `json:"created_at"`
			Sessions  int    `json:"sessions"`
		}
		out := []userJSON{}
		for _, u := range users {
			out = append(out, userJSON{u.Name, u.Role, u.CreatedAt.UTC().Format(time.RFC3339), u.Sessions})
		}
		return writeJSON(opts.Stdout, out)
	}
	tw := tabwriter.NewWriter(opts.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "USER\tROLE\tCREATED\tSESSIONS")
	for _, u := range users {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\n", u.Name, u.Role, u.CreatedAt.UTC().Format(time.RFC3339), u.Sessions)
	}
	return tw.Flush()
}

func runUserRemove(ctx context.Context, opts *userOptions, name string) error {
	s, err := opts.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := checkBy(opts.By); err != nil {
		return err
	}
	if err := s.RemoveUser(ctx, opts.By, name); err != nil {
		return err
	}
	fmt.Fprintf(opts.Stdout, "user %s removed\n", name)
	return nil
}

func runUserRole(ctx context.Context, opts *userOptions, name, role string) error {
	s, err := opts.openStoreAs(ctx, opts.By)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.SetRole(ctx, opts.By, name, role); err != nil {
		return err
	}
	fmt.Fprintf(opts.Stdout, "%s is now %s %s\n", name, map[bool]string{true: "an", false: "a"}[role != store.RoleViewer], role)
	return nil
}

func runUserSessions(ctx context.Context, opts *userOptions, name string) error {
	s, err := opts.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	list, err := s.Sessions(ctx, name)
	if err != nil {
		return err
	}
	if opts.JSON {
		type sessionJSON struct {
			ID        string `json:"id"`
			User      string `json:"user"`
			CreatedAt string `json:"created_at"`
			ExpiresAt string `json:"expires_at"`
		}
		out := []sessionJSON{}
		for _, x := range list {
			out = append(out, sessionJSON{x.ID, x.User, x.CreatedAt.UTC().Format(time.RFC3339), x.ExpiresAt.UTC().Format(time.RFC3339)})
		}
		return writeJSON(opts.Stdout, out)
	}
	if len(list) == 0 {
		fmt.Fprintln(opts.Stdout, "no live sessions")
		return nil
	}
	tw := tabwriter.NewWriter(opts.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SESSION\tUSER\tSTARTED\tENDS")
	for _, x := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", x.ID, x.User, x.CreatedAt.UTC().Format(time.RFC3339), x.ExpiresAt.UTC().Format(time.RFC3339))
	}
	return tw.Flush()
}

func runUserRevoke(ctx context.Context, opts *userOptions, name string) error {
	s, err := opts.openStoreAs(ctx, opts.By)
	if err != nil {
		return err
	}
	defer s.Close()
	n, err := s.RevokeSessions(ctx, opts.By, name, opts.Session)
	if err != nil {
		return err
	}
	fmt.Fprintf(opts.Stdout, "%d session%s of %s ended\n", n, map[bool]string{true: "", false: "s"}[n == 1], name)
	return nil
}
