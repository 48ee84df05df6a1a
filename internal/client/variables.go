package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Variable is a variable as GitHub reports it. Variables are not secret:
// the value comes with it. Visibility and SelectedRepositoriesURL are set
// for organization variables only.
type Variable struct {
	Name                    string    `json:"name"`
	Value                   string    `json:"value"`
	CreatedAt               time.Time `json:"created_at"`
	UpdatedAt               time.Time `json:"updated_at"`
	Visibility              string    `json:"visibility,omitempty"`
	SelectedRepositoriesURL string    `json:"selected_repositories_url,omitempty"`
}

// check refuses a variable GitHub would never report.
func (v Variable) check() error {
	if v.Name == "" || v.UpdatedAt.IsZero() || (v.Visibility != "" && !knownVisibility(v.Visibility)) {
		return errors.New("lacks a name or an updated_at, or has an unknown visibility")
	}
	return nil
}

type variablesPage struct {
	TotalCount *int       `json:"total_count"`
	Variables  []Variable `json:"variables"`
}

func (p *variablesPage) check() error {
	if p.TotalCount == nil || p.Variables == nil {
		return errors.New("the page has no total_count or no variables array")
	}
	for i, v := range p.Variables {
		if err := v.check(); err != nil {
			return fmt.Errorf("variable %d of the page %w", i+1, err)
		}
	}
	return nil
}

func (p *variablesPage) total() int       { return *p.TotalCount }
func (p *variablesPage) list() []Variable { return p.Variables }

// checkVariables refuses, before any request, a scope that holds no
// variables: every variable call is made on Scope.Variables.
func checkVariables(s Scope) error {
	if err := s.check(); err != nil {
		return err
	}
	if s.thing != Variables {
		return fmt.Errorf("%s holds secrets: variables are addressed through Scope.Variables", s)
	}
	return nil
}

// ScanVariables calls yield for each variable of scope in GitHub's order,
// reading a page of 30 (GitHub's largest) only when yield has asked for
// every variable of the pages before. A listing that contradicts itself is
// read once more, as secret listings are (see scan).
func (c *Client) ScanVariables(ctx context.Context, scope Scope, yield func(Variable) bool) error {
	if err := checkVariables(scope); err != nil {
		return err
	}
	path := scope.secretsPath()
	return scan[variablesPage](ctx, c, path, "the variables of "+scope.String(),
		func(v Variable) string { return strings.ToUpper(v.Name) },
		func(v Variable) error {
			if scope.IsOrg() && v.Visibility == "" {
				return fmt.Errorf("GET /%s: variable %s has no visibility", path, v.Name)
			}
			return nil
		}, yield)
}

// ListVariables returns every variable of scope, by name.
func (c *Client) ListVariables(ctx context.Context, scope Scope) ([]Variable, error) {
	out := make([]Variable, 0)
	err := c.ScanVariables(ctx, scope, func(v Variable) bool { out = append(out, v); return true })
	slices.SortStableFunc(out, func(a, b Variable) int { return strings.Compare(strings.ToUpper(a.Name), strings.ToUpper(b.Name)) })
	return out, err
}

// GetVariable returns one variable, value included.
func (c *Client) GetVariable(ctx context.Context, a Address) (*Variable, error) {
	if err := checkVariables(a.scope); err != nil {
		return nil, err
	}
	req, err := c.newRequest(ctx, http.MethodGet, c.endpoint(a.path(), ""), nil)
	if err != nil {
		return nil, err
	}
	var v Variable
	resp, err := c.do(req, &v)
	if err != nil {
		return nil, err
	}
	if err := v.check(); err != nil || (a.scope.IsOrg() && v.Visibility == "") {
		return nil, fmt.Errorf("GET %s: %s: unexpected response: the variable lacks a name, an updated_at or a known visibility",
			c.reqPath(req), statusLine(resp.StatusCode))
	}
	return &v, nil
}

// LookupVariable returns one variable like GetVariable, but serves it from a
// listing of the scope's variables taken once per Client (pages of 30): a
// refresh of many variables costs a page per 30, not a request each. A
// variable this Client has written since, or that the listing lacks or
// cannot vouch for (it contradicted itself), is read on its own.
func (c *Client) LookupVariable(ctx context.Context, a Address) (*Variable, error) {
	if err := checkVariables(a.scope); err != nil {
		return nil, err
	}
	k := a.Key()
	if c.writtenSince(k) {
		return c.GetVariable(ctx, a)
	}
	byName, err := c.variables.get(ctx, k.scope, func(ctx context.Context) (map[string]Variable, error) {
		all, err := c.ListVariables(ctx, a.scope)
		if err != nil {
			return nil, err
		}
		m := make(map[string]Variable, len(all))
		for _, v := range all {
			m[strings.ToUpper(v.Name)] = v
		}
		return m, nil
	})
	switch v, found := byName[k.name]; {
	case IsInconsistentListing(err), err == nil && (!found || c.writtenSince(k)):
		return c.GetVariable(ctx, a)
	case err != nil:
		return nil, err
	default:
		return &v, nil
	}
}

// VariableWrite is what a create sends (Value required; Visibility for an
// organization variable) or an update changes (any of them; Name renames).
type VariableWrite struct {
	Name       *string
	Value      *string
	Visibility *string
	// nil: not sent; non-nil (even empty): sent, replacing the list.
	SelectedRepositoryIDs []int64
}

type variableWriteBody struct {
	Name                  *string `json:"name,omitempty"`
	Value                 *string `json:"value,omitempty"`
	Visibility            *string `json:"visibility,omitempty"`
	SelectedRepositoryIDs []int64 `json:"selected_repository_ids,omitzero"`
}

// CreateVariable creates the variable at a with w's value (and, for an
// organization variable, its visibility and list). GitHub creates with a
// POST that refuses a name in use (409, IsConflict): a create never
// overwrites, and is never sent again blindly. After an answer that leaves
// unknown whether GitHub made the variable (no answer, a 5xx, an unreadable
// 2xx), CreateVariable reads the variable: one holding w's value (and
// visibility) is the create's and is adopted; none means the create is sent
// again; one holding anything else fails the create.
func (c *Client) CreateVariable(ctx context.Context, a Address, w VariableWrite) (WriteResult, error) {
	if err := checkVariables(a.scope); err != nil {
		return WriteResult{}, err
	}
	if w.Value == nil || (a.scope.IsOrg() && w.Visibility == nil) {
		return WriteResult{}, fmt.Errorf("%s: a variable is created with a value (and an organization variable with a visibility)", a)
	}
	body := variableWriteBody{Name: Ptr(a.StoredName()), Value: w.Value, Visibility: w.Visibility, SelectedRepositoryIDs: w.SelectedRepositoryIDs}
	c.noteWrite(a)
	defer c.forgetSelectedRepositories(a)
	for sends := 1; ; sends++ {
		req, err := c.newRequest(withoutResend(ctx), http.MethodPost, c.endpoint(a.scope.secretsPath(), ""), body)
		if err != nil {
			return WriteResult{}, err
		}
		resp, err := c.do(req, nil)
		if err == nil {
			c.notePresent(a, true)
			return WriteResult{Created: true, At: responseDate(resp)}, nil
		}
		if !mayHaveCreated(resp, err) || ctx.Err() != nil {
			return WriteResult{}, err
		}
		held, gerr := c.GetVariable(ctx, a)
		switch {
		case IsNotFound(gerr) && sends < maxCreateSends:
			continue // GitHub made nothing: safe to send again
		case IsNotFound(gerr):
			return WriteResult{}, fmt.Errorf("%s: %w (sent %d times, and no variable was made)", a, err, sends)
		case gerr != nil:
			return WriteResult{}, errors.Join(fmt.Errorf("%s: %w", a, err),
				fmt.Errorf("reading the variable this create may have made: %w", gerr))
		case held.Value != *w.Value || (w.Visibility != nil && held.Visibility != *w.Visibility):
			return WriteResult{}, fmt.Errorf("%s: %w; the variable now exists with another value or visibility, "+
				"so it is not this create's: import it to manage it", a, err)
		}
		c.notePresent(a, true)
		return WriteResult{Created: true, At: held.CreatedAt}, nil
	}
}

// UpdateVariable changes what w sets of the variable at a; a new Name
// renames it (GitHub answers 409 when the new name is in use). A rename is
// not sent twice: once GitHub did it, the old name is gone. After an answer
// that leaves unknown whether it was done, UpdateVariable reads the new
// name, and a variable there holding w's value is the rename done.
func (c *Client) UpdateVariable(ctx context.Context, a Address, w VariableWrite) (WriteResult, error) {
	if err := checkVariables(a.scope); err != nil {
		return WriteResult{}, err
	}
	var renamed Address
	sendCtx := ctx
	if w.Name != nil {
		var err error
		if renamed, err = a.scope.Secret(*w.Name); err != nil {
			return WriteResult{}, err
		}
		c.noteWrite(renamed)
		sendCtx = withoutResend(ctx)
	}
	req, err := c.newRequest(sendCtx, http.MethodPatch, c.endpoint(a.path(), ""), variableWriteBody(w))
	if err != nil {
		return WriteResult{}, err
	}
	c.noteWrite(a)
	defer c.forgetSelectedRepositories(a)
	resp, err := c.do(req, nil)
	switch {
	case err == nil:
		return WriteResult{At: responseDate(resp)}, nil
	case renamed.IsZero() || !mayHaveCreated(resp, err) || ctx.Err() != nil:
		return WriteResult{}, err
	}
	held, gerr := c.GetVariable(ctx, renamed)
	if gerr != nil || (w.Value != nil && held.Value != *w.Value) {
		return WriteResult{}, fmt.Errorf("%s: renaming to %s: %w; it may not be renamed, refresh to see", a, renamed.StoredName(), err)
	}
	return WriteResult{At: held.UpdatedAt}, nil
}

// DeleteVariable deletes the variable at a.
func (c *Client) DeleteVariable(ctx context.Context, a Address) error {
	if err := checkVariables(a.scope); err != nil {
		return err
	}
	req, err := c.newRequest(ctx, http.MethodDelete, c.endpoint(a.path(), ""), nil)
	if err != nil {
		return err
	}
	c.noteWrite(a)
	if _, err := c.do(req, nil); err != nil {
		return err
	}
	c.notePresent(a, false)
	return nil
}
