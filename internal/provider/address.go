package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
)

// Every place a secret is named in (configuration, state, an import id, an
// identity, a moved state, a listing) becomes a client.Address through the
// client's one constructor; this file turns what it refuses into diagnostics
// that name the attribute, and compares spellings the way the address does.

// fieldAttributes are the attributes that hold each part of an address.
var fieldAttributes = map[client.Field]string{
	client.FieldRepository:   "repository",
	client.FieldEnvironment:  "environment",
	client.FieldName:         "secret_name",
	client.FieldVariableName: "variable_name",
}

// fieldSummaries head a diagnostic about each part.
var fieldSummaries = map[client.Field]string{
	client.FieldOwner:        "Invalid Owner",
	client.FieldKind:         "Invalid Secret Kind",
	client.FieldRepository:   "Invalid Repository Name",
	client.FieldEnvironment:  "Invalid Environment Name",
	client.FieldName:         "Invalid Secret Name",
	client.FieldVariableName: "Invalid Variable Name",
}

// partRules are the rule of each part a configuration gives.
var partRules = map[client.Field]struct {
	rule  string
	check func(string) error
}{
	client.FieldOwner:        {client.OwnerRule, client.CheckOwner},
	client.FieldRepository:   {client.RepositoryRule, client.CheckRepository},
	client.FieldEnvironment:  {client.EnvironmentRule, client.CheckEnvironment},
	client.FieldName:         {client.NameRule, client.CheckSecretName},
	client.FieldVariableName: {client.VariableNameRule, client.CheckVariableName},
}

// addressDiagnostic reports an address the constructor refused: at the
// attribute that holds the part, when there is one; where says where the
// value came from ("the state", "the import id").
func addressDiagnostic(diags *diag.Diagnostics, where string, err error) {
	ae, ok := client.AsAddressError(err)
	if !ok {
		diags.AddError("Invalid Secret Address", fmt.Sprintf("The secret named by %s cannot be on GitHub: %s.", where, err))
		return
	}
	summary := fieldSummaries[ae.Field]
	detail := fmt.Sprintf("The %s in %s: %s. GitHub could never name such a secret, so nothing was sent.", ae.Field, where, err)
	detail += addressAdvice[where]
	if ae.Field == client.FieldOwner {
		diags.AddError(summary, detail+" Set the provider's owner to the organization (or user) that owns the secrets.")
		return
	}
	if attr, ok := fieldAttributes[ae.Field]; ok && where == "the configuration" {
		diags.AddAttributeError(path.Root(attr), summary, detail)
		return
	}
	diags.AddError(summary, detail)
}

// addressAdvice says what to do about a refused address, by where it came from.
var addressAdvice = map[string]string{
	"the state": " Remove this resource from state (a removed block, or terraform state rm) and import the secret " +
		"by a name GitHub has.",
	"the moved state": " Refresh the source with integrations/github first (terraform apply -refresh-only), or remove " +
		"the moved block and adopt the secret with an import block.",
}

// addressPartValidator checks one part of an address at validate time, with
// the rule the constructor applies.
type addressPartValidator struct{ field client.Field }

var _ validator.String = addressPartValidator{}

func (v addressPartValidator) Description(context.Context) string {
	return "must be " + partRules[v.field].rule
}

func (v addressPartValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v addressPartValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := partRules[v.field].check(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, fieldSummaries[v.field],
			fmt.Sprintf("The %s attribute: %s. GitHub could never name it.", req.Path, err))
	}
}

// replaceWhenRenamed replaces the resource when the part really changes:
// a change of its spelling alone (GitHub compares names case-insensitively)
// is an update in place that writes nothing.
func replaceWhenRenamed(field client.Field) planmodifier.String {
	what := fmt.Sprintf("Changing the %s, other than its case, replaces the resource.", fieldAttributes[field])
	return stringplanmodifier.RequiresReplaceIf(
		func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
			resp.RequiresReplace = req.PlanValue.IsUnknown() ||
				!client.SameName(field, req.StateValue.ValueString(), req.PlanValue.ValueString())
		}, what, what)
}
