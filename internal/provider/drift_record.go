package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/drift"
)

// privateDriftRecord is the private-state key of the drift record.
const privateDriftRecord = "drift"

// The keys the release before versioned records wrote instead; read once to
// build a record, then removed.
const (
	legacyRepositoryIDs = "repository_ids"
	legacyValueDrift    = "value_drift"
	legacyWriteBound    = "write_bound"
)

// loadRecord reads a secret's drift record from private state, or builds it
// from what the earlier release kept there and in state. nil means nothing to
// compare with: the next read takes what GitHub shows as it is.
func loadRecord(ctx context.Context, p privateData, updatedAt, visibility types.String) (*drift.Record, diag.Diagnostics) {
	rec, ok, diags := getPrivate[drift.Record](ctx, p, privateDriftRecord)
	if ok {
		// A record of another version (a newer release's, after a downgrade)
		// or without a time says nothing this release can rely on.
		if rec.Version != drift.Version || rec.UpdatedAt.IsZero() {
			return nil, diags
		}
		return &rec, diags
	}

	legacy := drift.Legacy{Visibility: visibility.ValueString()}
	if t, ok := parseTime(updatedAt); ok {
		legacy.UpdatedAt = t
	}
	bound, d := p.GetKey(ctx, legacyWriteBound)
	diags.Append(d...)
	legacy.WriteBound = len(bound) > 0
	ids, ok, d := getPrivate[[]int64](ctx, p, legacyRepositoryIDs)
	diags.Append(d...)
	if ok && ids == nil {
		ids = []int64{}
	}
	legacy.Repositories = ids
	changed, ok, d := getPrivate[struct {
		ChangedAt string `json:"changed_at"`
	}](ctx, p, legacyValueDrift)
	diags.Append(d...)
	if at, err := time.Parse(time.RFC3339, changed.ChangedAt); ok && err == nil {
		legacy.ChangedAt = &at
	}
	return drift.FromLegacy(legacy), diags
}

// saveRecord keeps rec in private state, in place of any earlier keys. A nil
// rec records that nothing is known, so the next read starts afresh.
func saveRecord(ctx context.Context, p privateData, rec *drift.Record) diag.Diagnostics {
	if rec == nil {
		rec = &drift.Record{Version: drift.Version}
	}
	diags := setPrivate(ctx, p, privateDriftRecord, rec)
	for _, key := range []string{legacyRepositoryIDs, legacyValueDrift, legacyWriteBound} {
		diags.Append(p.SetKey(ctx, key, nil)...)
	}
	return diags
}

// companionDriftGap is what the companion list resources say of the one gap
// in drift detection they open.
const companionDriftGap = "GitHub moves the secret's `updated_at` when this resource changes its list, and the secret " +
	"cannot tell that change from a new value: a value changed outside Terraform between this resource's write and " +
	"the next saved refresh (any `terraform apply`, or `terraform apply -refresh-only`) is not flagged. " +
	"`selected_repository_ids` on the secret has no such gap; see the drift guide."

// onValueDriftAttribute is the setting that says what a value changed
// outside Terraform means, shared by every secret resource.
func onValueDriftAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "What a change of the value made outside Terraform means. `restore` (the default): " +
			"`plan` shows an in-place update with a warning, and `apply` writes the configured value again. " +
			"`accept`: the value GitHub holds is kept, the plan stays empty, and the change is logged at INFO; " +
			"use it when another system (a rotation job, a person) sets the real value after Terraform created " +
			"the secret. Changes of the visibility or the repository list are always restored. Changing this " +
			"setting changes nothing on GitHub. See the drift guide.",
		Optional: true,
		Computed: true,
		Default:  stringdefault.StaticString(string(drift.Restore)),
		Validators: []validator.String{
			stringvalidator.OneOf(string(drift.Restore), string(drift.Accept)),
		},
	}
}
