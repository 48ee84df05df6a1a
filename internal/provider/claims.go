package provider

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
)

// One secret has one claimant. Every resource the provider plans in a run
// claims what it manages of a secret (its value, its repository list, one
// repository's access) by the secret's address, compared as GitHub compares
// names; a second resource claiming the same fails the plan. Two resources
// whose spellings differ only in case would otherwise write over each other
// on every apply, each seeing the other's write as drift.

// aspect is what of a secret a resource manages.
type aspect string

const (
	aspectValue aspect = "value"           // the value (and for organization secrets the visibility)
	aspectList  aspect = "repository list" // the whole repository list
	aspectGrant aspect = "repository"      // one repository's access
)

// claimed is one claim: what of the secret, and by whom.
type claimed struct {
	aspect       aspect
	repositoryID int64 // of a grant
	by           string
	// prior: the plan that claimed had a prior state. A replacement that
	// Terraform forces (-replace, a tainted object) plans the same resource
	// twice, with its prior state and then without; the second claim is the
	// first one's, made again.
	prior, replanned bool
}

// clashes reports whether two claims on one secret manage the same thing:
// the value twice, the list twice, or a list and any grant, or one
// repository's access twice.
func (c claimed) clashes(o claimed) bool {
	switch {
	case c.aspect == aspectValue || o.aspect == aspectValue:
		return c.aspect == o.aspect
	case c.aspect == aspectGrant && o.aspect == aspectGrant:
		return c.repositoryID == o.repositoryID
	}
	return true // a list and a list, or a list and a grant
}

// claims are the claims of one run (one configured provider), and what its
// resources wrote.
type claims struct {
	mu sync.Mutex
	by map[client.AddressKey][]claimed
	// written are what this run wrote of each secret.
	written map[client.AddressKey][]claimed
	// locks serialise the writes and deletes of one secret.
	locks map[client.AddressKey]*sync.Mutex
}

// hold serialises the changes of one secret within a run: a write and a
// delete of the same secret (a replacement that creates before it
// destroys, a for_each key that changes, a resource block renamed without
// a moved block) never cross on their way to GitHub. The caller calls the
// returned func when its change is done.
func (cs *claims) hold(a client.Address) func() {
	cs.mu.Lock()
	if cs.locks == nil {
		cs.locks = map[client.AddressKey]*sync.Mutex{}
	}
	l := cs.locks[a.Key()]
	if l == nil {
		l = &sync.Mutex{}
		cs.locks[a.Key()] = l
	}
	cs.mu.Unlock()
	l.Lock()
	return l.Unlock
}

// wrote records that this run wrote c's part of the secret at a.
func (cs *claims) wrote(a client.Address, c claimed) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if cs.written == nil {
		cs.written = map[client.AddressKey][]claimed{}
	}
	cs.written[a.Key()] = append(cs.written[a.Key()], c)
}

// rewritten reports whether this run wrote what a delete of c's part of the
// secret at a would undo: then the secret lives on in another resource (or
// in the new instance of this one), and the delete must send nothing.
func (cs *claims) rewritten(a client.Address, c claimed) bool {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	for _, w := range cs.written[a.Key()] {
		if w.clashes(c) {
			return true
		}
	}
	return false
}

// take records c on the secret at a, or returns the claim it clashes with.
func (cs *claims) take(a client.Address, c claimed) (claimed, bool) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if cs.by == nil {
		cs.by = map[client.AddressKey][]claimed{}
	}
	held := cs.by[a.Key()]
	for i, o := range held {
		if !o.clashes(c) {
			continue
		}
		if o.prior && !c.prior && !o.replanned && o.by == c.by {
			held[i].replanned = true
			return o, true
		}
		return o, false
	}
	cs.by[a.Key()] = append(cs.by[a.Key()], c)
	return c, true
}

// claim takes what a resource being planned manages of the secret at a. A
// plan that destroys the resource claims nothing, nor does the first plan
// of a replacement the provider asks for, whose create Terraform plans
// again from no state; a replacement Terraform forces claims twice, the
// second time as the first (see claimed.prior). So a resource moving
// between addresses, or between for_each keys, is no clash.
func (d *providerData) claim(req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse, a client.Address, c claimed) {
	if d == nil || req.Plan.Raw.IsNull() || (!req.State.Raw.IsNull() && len(resp.RequiresReplace) > 0) {
		return
	}
	c.prior = !req.State.Raw.IsNull()
	other, ok := d.claims.take(a, c)
	if ok {
		return
	}
	addClash(&resp.Diagnostics, a, c, other)
}

// claimant names a resource for a clash: its type and the attributes that
// name its secret, as configured.
func claimant(typeName string, attrs ...string) string {
	out := typeName + " with"
	for i := 0; i+1 < len(attrs); i += 2 {
		if i > 0 {
			out += ","
		}
		out += fmt.Sprintf(" %s = %q", attrs[i], attrs[i+1])
	}
	return out
}

// deleteOnce sends del, the delete of c's part of the secret at a, unless
// this run already wrote that part for another resource (or for this
// resource's replacement): then it sends nothing and says so. It returns
// del's error.
func (d *providerData) deleteOnce(ctx context.Context, a client.Address, c claimed, diags *diag.Diagnostics, del func() error) error {
	defer d.claims.hold(a)()
	if !d.claims.rewritten(a, c) {
		return del()
	}
	tflog.Info(ctx, "not deleting: this run wrote the secret for another resource", map[string]any{"secret": a.String(), "part": string(c.aspect)})
	diags.AddWarning("Secret Kept",
		fmt.Sprintf("%s was not deleted with this resource: this run wrote its %s for another resource (or for this "+
			"resource's replacement), which now manages it. Nothing was sent.", a, c.aspect))
	return nil
}

// writeOnce sends write, a write of c's part of the secret at a, held
// against a delete of the same secret, and records it when it succeeds.
func (d *providerData) writeOnce(a client.Address, c claimed, write func() error) error {
	defer d.claims.hold(a)()
	err := write()
	if err == nil {
		d.claims.wrote(a, c)
	}
	return err
}

func addClash(diags *diag.Diagnostics, a client.Address, c, other claimed) {
	what := "the " + string(c.aspect)
	if c.aspect == aspectGrant && other.aspect == aspectGrant {
		what = fmt.Sprintf("repository %d's access to it", c.repositoryID)
	} else if c.aspect != other.aspect {
		what = fmt.Sprintf("its %s and its %s", c.aspect, other.aspect)
	}
	diags.AddError("Two Resources Manage One Secret",
		fmt.Sprintf("This resource (%s) and another of this configuration (%s) both manage %s of %s. GitHub compares "+
			"owner, repository, environment and secret names case-insensitively, so the two name one secret, and each "+
			"apply would undo the other's write. Keep one of them: remove the other, or give it a moved block to this "+
			"one's address.", c.by, other.by, what, a))
}
