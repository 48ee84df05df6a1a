package provider

import (
	"context"
	"fmt"
	"maps"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/drift"
)

// secretValueModel is what every secret resource has for its value and its
// drift setting; each resource's model embeds it.
type secretValueModel struct {
	ValueWO          types.String `tfsdk:"value_wo"`
	EncryptedValueWO types.String `tfsdk:"encrypted_value_wo"`
	KeyID            types.String `tfsdk:"key_id"`
	ValueWOVersion   types.Int64  `tfsdk:"value_wo_version"`
	OnValueDrift     types.String `tfsdk:"on_value_drift"`
}

// policy is what a value changed outside Terraform means for this secret.
func (m secretValueModel) policy() drift.Policy {
	if m.OnValueDrift.ValueString() == string(drift.Accept) {
		return drift.Accept
	}
	return drift.Restore
}

// newValueAsked reports whether the configuration asks for the value to be
// written again: a new version or key.
func (m secretValueModel) newValueAsked(state secretValueModel) bool {
	return !m.ValueWOVersion.Equal(state.ValueWOVersion) || !m.KeyID.Equal(state.KeyID)
}

// restoresValue reports whether a value change recorded by Read is to be
// written over.
func restoresValue(rec *drift.Record, p drift.Policy) bool {
	return rec != nil && rec.ChangedAt != nil && p == drift.Restore
}

// writeSecretValue PUTs the configured value into scope, sealing value_wo
// for the scope's key or passing encrypted_value_wo through as given.
// visibility and repositoryIDs are for organization secrets only.
func writeSecretValue(ctx context.Context, c *client.Client, a client.Address, cfg secretValueModel,
	visibility string, repositoryIDs []int64) (client.WriteResult, error) {
	if !cfg.ValueWO.IsNull() && !cfg.ValueWO.IsUnknown() {
		return c.SetSecretValue(ctx, a, []byte(cfg.ValueWO.ValueString()), visibility, repositoryIDs)
	}
	if cfg.EncryptedValueWO.IsNull() || cfg.EncryptedValueWO.IsUnknown() {
		return client.WriteResult{}, fmt.Errorf("neither value_wo nor encrypted_value_wo is set in the configuration; set one of them")
	}
	return c.PutSecret(ctx, a, client.SecretWrite{
		EncryptedValue:        cfg.EncryptedValueWO.ValueString(),
		KeyID:                 cfg.KeyID.ValueString(),
		Visibility:            visibility,
		SelectedRepositoryIDs: repositoryIDs,
	})
}

// secretWrite is one successful write, as recordSecretWrite needs it.
type secretWrite struct {
	addr client.Address
	// permission is what the token needs, for the warning's advice.
	permission string
	res        client.WriteResult
	// createdAt is the secret's created_at before the write; unknown or
	// null when not known.
	createdAt types.String
	// visibility and repositories are what an organization secret holds
	// after the write; "" and nil elsewhere.
	visibility   string
	repositories []int64
}

// writtenSecret is the metadata a write leaves in state.
type writtenSecret struct {
	ID, CreatedAt, UpdatedAt types.String
}

// recordSecretWrite returns the write's metadata and keeps the drift record
// it leaves: when GitHub stamped the write (client.TimeOfWrite: the answer's
// Date where it agrees with GitHub's clock, else a read back), and the
// visibility and repository list the secret now holds. An overwritten secret
// of unknown age is read back for its created_at. Once the write has
// succeeded, failing to learn its time is a warning, not an error: the secret
// exists and holds the configured value, and the next refresh takes GitHub's
// timestamps as they are.
func recordSecretWrite(ctx context.Context, c *client.Client, w secretWrite, private privateData) (writtenSecret, diag.Diagnostics) {
	var diags diag.Diagnostics
	out := writtenSecret{ID: types.StringValue(w.addr.StoredName())}
	createdAt := w.createdAt

	var wt client.WriteTime
	var err error
	if !w.res.Created && (createdAt.IsUnknown() || createdAt.IsNull()) {
		var remote *client.Secret
		if remote, err = c.GetSecret(ctx, w.addr); err == nil {
			wt = client.WriteTime{At: remote.UpdatedAt, Exact: true}
			createdAt = types.StringValue(formatTime(remote.CreatedAt))
		}
	} else {
		wt, err = c.TimeOfWrite(ctx, w.addr, w.res)
	}
	if err != nil {
		diags.AddWarning("Secret Written, Its Timestamps Not Read",
			scopeErrorDetail("read back the timestamps of", w.addr, w.permission, err)+
				" The value was written. The timestamps in state are this provider's until the next refresh, "+
				"which also restarts the detection of changes made outside Terraform for this secret.")
		at := w.res.At
		if at.IsZero() {
			at = time.Now().UTC()
		}
		out.UpdatedAt = types.StringValue(formatTime(at))
		if !createdAt.IsNull() && !createdAt.IsUnknown() && !w.res.Created {
			out.CreatedAt = createdAt
		} else {
			out.CreatedAt = out.UpdatedAt
		}
		diags.Append(saveRecord(ctx, private, nil)...)
		return out, diags
	}
	if w.res.Created {
		// GitHub stamps a new secret's created_at and updated_at together.
		createdAt = types.StringValue(formatTime(wt.At))
	}
	out.CreatedAt = createdAt
	out.UpdatedAt = types.StringValue(formatTime(wt.At))
	repositories := w.repositories
	if w.visibility == visibilitySelected && repositories == nil {
		repositories = []int64{} // GitHub cleared the list the write left out
	}
	rec := drift.Wrote(drift.Write{At: wt.At, Exact: wt.Exact, Visibility: w.visibility, Repositories: repositories})
	diags.Append(saveRecord(ctx, private, &rec)...)
	return out, diags
}

// secretValueAttributes are the attributes of secretValueModel; keyOf names
// whose public key seals the value ("organization", "repository",
// "environment"), publicKeyType the data source that reads it.
func secretValueAttributes(keyOf, publicKeyType string) map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"value_wo": schema.StringAttribute{
			MarkdownDescription: "The plaintext value, at most 48 KB. Write-only: Terraform keeps this attribute out of " +
				"state and out of the plan, but the value also lands wherever the expression that gives it does. " +
				"Give it from an ephemeral variable or an ephemeral resource, which Terraform never writes to a plan " +
				"or state file: a literal in the configuration is copied into every saved plan with the configuration, " +
				"a sensitive variable that is not ephemeral is stored in saved plans, a value read by a data source " +
				"is stored in state with it, and `TF_LOG_SDK_PROTO_DATA_DIR` dumps the value in plain text. The " +
				"provider seals it for the " + keyOf + "'s public key during apply. Exactly one of `value_wo` and " +
				"`encrypted_value_wo` must be set. Requires Terraform 1.11 or later.",
			Optional:   true,
			Sensitive:  true,
			WriteOnly:  true,
			Validators: []validator.String{stringvalidator.LengthAtMost(maxValueBytes)},
		},
		"encrypted_value_wo": schema.StringAttribute{
			MarkdownDescription: "A value already sealed (libsodium sealed box, standard base64) for the " +
				keyOf + "'s public key, whose id is given in `key_id`. Write-only. Use it when the plaintext " +
				"must never reach Terraform at all; the public key is available from the " +
				"`" + publicKeyType + "` data source.",
			Optional:  true,
			Sensitive: true,
			WriteOnly: true,
			Validators: []validator.String{
				encryptedValueValidator{},
				stringvalidator.AlsoRequires(path.MatchRoot("key_id")),
			},
		},
		"key_id": schema.StringAttribute{
			MarkdownDescription: "Id of the " + keyOf + "'s public key that `encrypted_value_wo` was sealed for. " +
				"Required with `encrypted_value_wo`, not allowed with `value_wo`. Changing it writes the value again.",
			Optional: true,
			Validators: []validator.String{
				stringvalidator.LengthAtLeast(1),
				stringvalidator.AlsoRequires(path.MatchRoot("encrypted_value_wo")),
			},
		},
		"value_wo_version": schema.Int64Attribute{
			MarkdownDescription: "Any number that you change whenever the value changes. Terraform cannot see " +
				"write-only values between runs, so changing this number is how a new value is written: " +
				"the new value is read from the configuration during apply.",
			Optional: true,
		},
		"on_value_drift": onValueDriftAttribute(),
	}
}

// withAttributes is a schema's attributes: shared ones and the resource's own.
func withAttributes(shared, own map[string]schema.Attribute) map[string]schema.Attribute {
	maps.Copy(own, shared)
	return own
}

// warnValueChanged is the plan's warning for a value change, recorded by
// Read, that the plan writes over; what names the secret.
func warnValueChanged(diags *diag.Diagnostics, what string, rec *drift.Record) {
	diags.AddWarning("Secret Value Changed Outside Terraform",
		fmt.Sprintf("The value of %s was changed outside Terraform at %s. "+
			"This plan writes the configured value again. If such changes are expected (a value rotated by "+
			"another system), set on_value_drift = \"accept\".", what, formatTime(*rec.ChangedAt)))
}

// keepVerdict logs what Read's drift verdict found and keeps its record.
func keepVerdict(ctx context.Context, private privateData, verdict drift.Result, fields map[string]any) diag.Diagnostics {
	switch verdict.Verdict {
	case drift.Changed:
		tflog.Warn(ctx, "secret value changed outside Terraform", fields)
	case drift.Accepted:
		tflog.Info(ctx, "secret value changed outside Terraform; accepted (on_value_drift = \"accept\")", fields)
	}
	return saveRecord(ctx, private, &verdict.Record)
}
