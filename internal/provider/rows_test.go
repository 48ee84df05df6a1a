package provider

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/acctest"
)

// The rows of a kind table (every kind of organization secret, every
// repository kind and environments) run a scenario together: one Terraform
// run whose configuration holds every row's resources, each row's under a
// provider alias of its own pointed at its own fake, so each row is as alone
// as in a run of its own, while every CLI run serves all of them. (The
// provider is served to each row under a name of its own, "ghsecrets/rowN":
// Terraform talks to a provider served by the test for every configuration
// of it through one server, which one configuration only can configure.) What a
// row's checks find is kept for the row, and each row reports as its own
// subtest; a Terraform error is attributed to the rows whose resources it
// names. The scenarios are written as for one row: env.test(t, tc) takes the
// row's case, env.config(body) its configuration.

// rowRun is one row's part of a batched scenario.
type rowRun struct {
	name string
	// local is the name the row's provider is served and configured under.
	local string
	// prefixes are the resource types (and data source types) of the row:
	// an address whose type starts with one of them is the row's.
	prefixes []string
	url      string
	// batch are the rows run together with this one, this one included.
	batch []*rowRun

	tc    resource.TestCase
	after []func(*testing.T)
	ran   bool // the scenario gave its case

	mu       sync.Mutex
	failures []string
}

func (r *rowRun) fail(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}

// owns reports whether a resource address is the row's.
func (r *rowRun) owns(addr string) bool {
	addr = strings.TrimPrefix(addr, "data.")
	for _, p := range r.prefixes {
		if strings.HasPrefix(addr, p) {
			return true
		}
	}
	return false
}

var (
	blockStart = regexp.MustCompile(`(?m)^(resource|data) "([^"]+)" "([^"]+)" \{(\})?$`)
	valueVarRe = regexp.MustCompile(`\bvar\.value\b`)
)

// body is the row's configuration body: its blocks bound to its provider
// alias, and its value variable renamed.
func (r *rowRun) body(b string) string {
	b = blockStart.ReplaceAllStringFunc(b, func(m string) string {
		empty := strings.HasSuffix(m, "{}")
		m = strings.TrimSuffix(m, "}")
		m += "\n  provider = " + r.local + "\n"
		if empty {
			m += "}"
		}
		return strings.TrimSuffix(m, "\n")
	})
	return valueVarRe.ReplaceAllString(b, "var.value_"+r.local)
}

// header is what every row's configuration shares, for the rows given.
func header(rows []*rowRun) string {
	var b strings.Builder
	b.WriteString("terraform {\n  required_providers {\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "    %s = { source = \"ghsecrets/%s\" }\n", r.local, r.local)
	}
	b.WriteString("  }\n}\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "provider %q {\n  owner    = %q\n  base_url = %q\n}\n", r.local, testOrg, r.url)
		fmt.Fprintf(&b, "variable %q {\n  type      = string\n  sensitive = true\n  ephemeral = true\n  default   = null\n}\n", "value_"+r.local)
	}
	return b.String()
}

// factories serves the provider under each row's name.
func factories(rows []*rowRun) map[string]func() (tfprotov6.ProviderServer, error) {
	out := map[string]func() (tfprotov6.ProviderServer, error){}
	for _, r := range rows {
		out[r.local] = testProviderFactories["ghsecrets"]
	}
	return out
}

// vars renames a row's variables to the row's own names.
func (r *rowRun) vars(v config.Variables) config.Variables {
	out := config.Variables{}
	for k, val := range v {
		if k == "value" {
			k = "value_" + r.local
		}
		out[k] = val
	}
	return out
}

// runRows runs the scenario of every row as one test case, then reports
// each row as a subtest: what its checks found, and its after functions.
func runRows(t *testing.T, rows []*rowRun) {
	t.Helper()
	var active []*rowRun
	for _, r := range rows {
		if r.ran {
			active = append(active, r)
		}
	}
	if len(active) > 0 {
		acctest.Test(t, mergeRows(active))
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			if !r.ran {
				t.Skip("the scenario gave no test case for this row")
			}
			r.mu.Lock()
			failures := slices.Clone(r.failures)
			r.mu.Unlock()
			for _, f := range failures {
				t.Error(f)
			}
			for _, after := range r.after {
				after(t)
			}
		})
	}
}

// mergeRows makes one test case of the rows' cases: step i of each row
// together (a row with fewer steps keeps its last configuration that
// applied); import steps one row at a time, each with that row's
// configuration alone, before the rows' step of the same index.
func mergeRows(rows []*rowRun) resource.TestCase {
	n := 0
	for _, r := range rows {
		n = max(n, len(r.tc.Steps))
		r.batch = rows
	}
	merged := resource.TestCase{
		ProtoV6ProviderFactories: factories(rows),
		TerraformVersionChecks:   rows[0].tc.TerraformVersionChecks,
	}
	last := make([]string, len(rows))
	lastVars := make([]config.Variables, len(rows))
	type expectation struct {
		row     *rowRun
		pattern *regexp.Regexp
	}
	var (
		mu      sync.Mutex
		current = -1
		// errorExpected are, by merged step, the rows that expect it to
		// fail; errorSeen whether it did.
		errorExpected = map[int][]expectation{}
		errorSeen     = map[int]bool{}
	)
	checkSeen := func(step int) {
		mu.Lock()
		defer mu.Unlock()
		if step >= 0 && !errorSeen[step] {
			for _, e := range errorExpected[step] {
				e.row.fail("step %d: expected an error matching %s, but the step succeeded", step+1, e.pattern)
			}
		}
	}
	enter := func(index int, then func()) func() {
		return func() {
			checkSeen(current)
			mu.Lock()
			current = index
			mu.Unlock()
			if then != nil {
				then()
			}
		}
	}
	for i := range n {
		var bodies []string
		var expected []expectation
		vars := config.Variables{}
		var step resource.TestStep
		var pre []func()
		applies, failing := false, false
		for ri, r := range rows {
			if i >= len(r.tc.Steps) {
				bodies = append(bodies, last[ri])
				addVars(vars, lastVars[ri])
				continue
			}
			s := r.tc.Steps[i]
			if s.ImportState {
				imp := r.importStep(s, rows, ri, last, lastVars)
				imp.PreConfig = enter(len(merged.Steps), imp.PreConfig)
				merged.Steps = append(merged.Steps, imp)
				bodies = append(bodies, last[ri])
				addVars(vars, lastVars[ri])
				continue
			}
			bodies = append(bodies, s.Config)
			rv := r.vars(s.ConfigVariables)
			addVars(vars, rv)
			if s.ExpectError == nil {
				last[ri], lastVars[ri] = s.Config, rv
				applies = true
			} else {
				expected = append(expected, expectation{r, s.ExpectError})
				failing = true
			}
			if s.PreConfig != nil {
				pre = append(pre, s.PreConfig)
			}
			step.Destroy = step.Destroy || s.Destroy
			step.PlanOnly = step.PlanOnly || s.PlanOnly
			step.ExpectNonEmptyPlan = step.ExpectNonEmptyPlan || s.ExpectNonEmptyPlan
			step.ConfigPlanChecks.PreApply = append(step.ConfigPlanChecks.PreApply, r.planChecks(s.ConfigPlanChecks.PreApply)...)
			step.ConfigPlanChecks.PostApplyPreRefresh = append(step.ConfigPlanChecks.PostApplyPreRefresh, r.planChecks(s.ConfigPlanChecks.PostApplyPreRefresh)...)
			step.ConfigPlanChecks.PostApplyPostRefresh = append(step.ConfigPlanChecks.PostApplyPostRefresh, r.planChecks(s.ConfigPlanChecks.PostApplyPostRefresh)...)
			step.ConfigStateChecks = append(step.ConfigStateChecks, r.stateChecks(s.ConfigStateChecks)...)
			if s.Check != nil {
				check, r, prev := s.Check, r, step.Check
				step.Check = func(st *terraform.State) error {
					if prev != nil {
						_ = prev(st)
					}
					if err := check(st); err != nil {
						r.fail("step %d check: %v", i+1, err)
					}
					return nil
				}
			}
		}
		if applies && failing {
			// A step that fails applies nothing: a row that meant to apply
			// then would lose its step. The scenarios keep them apart.
			panic(fmt.Sprintf("step %d: some rows expect an error and others apply", i+1))
		}
		if !applies && !failing {
			continue // imports only, or nothing left
		}
		index := len(merged.Steps)
		errorExpected[index] = expected
		step.Config = header(rows) + strings.Join(bodies, "\n")
		step.ConfigVariables = vars
		step.PreConfig = enter(index, func() {
			for _, p := range pre {
				p()
			}
		})
		merged.Steps = append(merged.Steps, step)
	}
	merged.ErrorCheck = func(err error) error {
		mu.Lock()
		step := current
		errorSeen[step] = true
		want := errorExpected[step]
		mu.Unlock()
		if len(want) == 0 {
			return err
		}
		text := err.Error()
		for _, e := range want {
			if own := e.row.diagnostics(text); !e.pattern.MatchString(own) {
				e.row.fail("step %d: expected an error matching %s, got: %s", step+1, e.pattern, own)
			}
		}
		for _, r := range rows {
			if !slices.ContainsFunc(want, func(e expectation) bool { return e.row == r }) && r.diagnostics(text) != "" {
				r.fail("step %d: unexpected error: %s", step+1, r.diagnostics(text))
			}
		}
		return nil
	}
	merged.CheckDestroy = func(st *terraform.State) error {
		checkSeen(current)
		for _, r := range rows {
			if r.tc.CheckDestroy != nil {
				if err := r.tc.CheckDestroy(st); err != nil {
					r.fail("after destroy: %v", err)
				}
			}
		}
		return nil
	}
	return merged
}

func addVars(to, from config.Variables) {
	for k, v := range from {
		to[k] = v
	}
}

// importStep is a row's import step: with its own configuration, or its
// last that applied, beside every other row's last one (an import works in
// a copy of the run's working directory, state and all).
func (r *rowRun) importStep(s resource.TestStep, rows []*rowRun, ri int, last []string, lastVars []config.Variables) resource.TestStep {
	vars := config.Variables{}
	var bodies []string
	for j := range rows {
		body, v := last[j], lastVars[j]
		if j == ri && s.Config != "" {
			body, v = s.Config, r.vars(s.ConfigVariables)
		}
		bodies = append(bodies, body)
		addVars(vars, v)
	}
	s.Config = header(rows) + strings.Join(bodies, "\n")
	s.ConfigVariables = vars
	s.ImportPlanChecks.PreApply = r.planChecks(s.ImportPlanChecks.PreApply)
	return s
}

// diagnostics is the part of a CLI error about the row: each "Error:" block
// that names one of the row's types (in its "with" line, its source
// excerpt or its text), and each block that names no row's type (a
// destroy's, which has no "with" line), or "" when there is none. A
// scenario whose error may name no type says which row's it is in its
// pattern (the secret's description, say).
func (r *rowRun) diagnostics(text string) string {
	var own []string
	for _, block := range strings.Split(text, "Error: ")[1:] {
		if r.mentionedIn(block) || !slices.ContainsFunc(r.batch, func(o *rowRun) bool { return o.mentionedIn(block) }) {
			own = append(own, "Error: "+block)
		}
	}
	return strings.Join(own, "\n")
}

func (r *rowRun) mentionedIn(block string) bool {
	return slices.ContainsFunc(r.prefixes, func(p string) bool { return strings.Contains(block, p) })
}

// planChecks keeps what each plan check of the row finds for the row, and
// shows it the plan of the row's resources alone.
func (r *rowRun) planChecks(checks []plancheck.PlanCheck) []plancheck.PlanCheck {
	out := make([]plancheck.PlanCheck, 0, len(checks))
	for _, c := range checks {
		out = append(out, rowPlanCheck{r, c})
	}
	return out
}

type rowPlanCheck struct {
	row   *rowRun
	inner plancheck.PlanCheck
}

func (c rowPlanCheck) CheckPlan(ctx context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	if req.Plan != nil {
		plan := *req.Plan
		plan.ResourceChanges = slices.DeleteFunc(slices.Clone(plan.ResourceChanges), func(rc *tfjson.ResourceChange) bool {
			return !c.row.owns(rc.Address)
		})
		plan.ResourceDrift = slices.DeleteFunc(slices.Clone(plan.ResourceDrift), func(rc *tfjson.ResourceChange) bool {
			return !c.row.owns(rc.Address)
		})
		req.Plan = &plan
	}
	var inner plancheck.CheckPlanResponse
	c.inner.CheckPlan(ctx, req, &inner)
	if inner.Error != nil {
		c.row.fail("plan check: %v", inner.Error)
	}
}

func (r *rowRun) stateChecks(checks []statecheck.StateCheck) []statecheck.StateCheck {
	out := make([]statecheck.StateCheck, 0, len(checks))
	for _, c := range checks {
		out = append(out, rowStateCheck{r, c})
	}
	return out
}

type rowStateCheck struct {
	row   *rowRun
	inner statecheck.StateCheck
}

func (c rowStateCheck) CheckState(ctx context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	var inner statecheck.CheckStateResponse
	c.inner.CheckState(ctx, req, &inner)
	if inner.Error != nil {
		c.row.fail("state check: %v", inner.Error)
	}
}

// rowTable is a kind table as its scenarios see it.
type rowTable[R any, E rowEnv] struct {
	rows []R
	name func(R) string
	// types are the resource types a row exercises (make test-type).
	types func(R) []string
	// prefix is the start of the types of a row's resources and data
	// sources ("ghsecrets_org_dependabot_"); no two rows run together may
	// share one.
	prefix func(R) string
	// group, when set, runs the rows of each group together, and the
	// groups apart (rows that would declare the same resource).
	group  func(R) string
	newEnv func(*testing.T, R) E
	// importsByIdentity marks scenarios with import blocks (written or made
	// by the harness), which run row by row with OpenTofu: it takes an
	// import block's provider from the resource type's name, never from the
	// resource's provider argument, so no import reaches a row's provider.
	importsByIdentity bool
}

// importing is the table for a scenario that imports (importsByIdentity).
func (tb rowTable[R, E]) importing() rowTable[R, E] {
	tb.importsByIdentity = true
	return tb
}

// rowEnv is a test environment a row's scenario runs in.
type rowEnv interface{ base() *testEnv }

func (e *testEnv) base() *testEnv { return e }

// test runs the row's case: at once when the row runs alone, else as its
// part of the rows' case; after runs once the case is done, with the row's
// own test.
func (e *testEnv) test(t *testing.T, tc resource.TestCase, after ...func(*testing.T)) {
	t.Helper()
	if e.row == nil {
		acctest.Test(t, tc)
		for _, f := range after {
			f(t)
		}
		return
	}
	if e.row.ran {
		t.Fatalf("row %s gave two test cases; a batched scenario gives one", e.row.name)
	}
	e.row.tc, e.row.after, e.row.ran = tc, after, true
}

// errorf reports a failure of the row's scenario: to the row when the rows
// run together (t is then the table's test), else to t.
func (e *testEnv) errorf(t *testing.T, format string, args ...any) {
	t.Helper()
	if e.row != nil {
		e.row.fail(format, args...)
		return
	}
	t.Errorf(format, args...)
}

// run runs the scenario for every row: the rows of each group together in
// one case, each row reported as a subtest of t.
func (tb rowTable[R, E]) run(t *testing.T, scenario func(*testing.T, E)) {
	t.Helper()
	if tb.importsByIdentity {
		if tofu, _ := acctest.IsOpenTofu(acctest.RealCLI()); tofu {
			tb.apart(t, scenario)
			return
		}
	}
	groups := map[string][]*rowRun{}
	var order []string
	for _, row := range tb.rows {
		g := ""
		if tb.group != nil {
			g = tb.group(row)
		}
		r := &rowRun{name: tb.name(row), prefixes: []string{tb.prefix(row)}}
		if want := os.Getenv("GHSECRETS_TYPE"); want != "" && !slices.Contains(tb.types(row), want) {
			t.Run(r.name, func(t *testing.T) { t.Skipf("not a test of %s (make test-type)", want) })
			continue
		}
		if _, ok := groups[g]; !ok {
			order = append(order, g)
		}
		r.local = fmt.Sprintf("row%d", len(groups[g])+1)
		groups[g] = append(groups[g], r)
		env := tb.newEnv(t, row)
		env.base().row = r
		r.url = env.base().url
		scenario(t, env)
	}
	for _, g := range order {
		if g == "" {
			runRows(t, groups[g])
			continue
		}
		t.Run(g, func(t *testing.T) {
			t.Parallel()
			runRows(t, groups[g])
		})
	}
}

// apart runs the scenario for every row on its own, each in a parallel
// subtest: for scenarios that drive the CLI by hand or query.
func (tb rowTable[R, E]) apart(t *testing.T, scenario func(*testing.T, E)) {
	t.Helper()
	for _, row := range tb.rows {
		t.Run(tb.name(row), func(t *testing.T) {
			acctest.ForType(t, tb.types(row)...)
			t.Parallel()
			scenario(t, tb.newEnv(t, row))
		})
	}
}
