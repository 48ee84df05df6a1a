package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/secretname"
)

// secretNameAttribute is the secret_name attribute both resources share:
// GitHub's naming rule at validate time, and a replacement only when the name
// really changes (GitHub compares names case-insensitively).
func secretNameAttribute(description string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: description + " Letters, digits and underscores only, not starting with a digit " +
			"or with `GITHUB_`. GitHub stores names upper-case and compares them case-insensitively, so " +
			"`my_secret` and `MY_SECRET` name the same secret. Changing the name (other than its case) replaces the resource.",
		Required:   true,
		Validators: []validator.String{secretNameValidator{}},
		PlanModifiers: []planmodifier.String{
			stringplanmodifier.RequiresReplaceIf(
				func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
					resp.RequiresReplace = !secretname.Equal(req.StateValue.ValueString(), req.PlanValue.ValueString())
				},
				"Changing the secret name, other than its case, replaces the resource.",
				"Changing the secret name, other than its case, replaces the resource.",
			),
		},
	}
}

// secretNameValidator applies GitHub's naming rule to a configured name.
type secretNameValidator struct{}

var _ validator.String = secretNameValidator{}

func (secretNameValidator) Description(context.Context) string {
	return secretname.Rule
}

func (v secretNameValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (secretNameValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := secretname.Validate(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Secret Name",
			fmt.Sprintf("The %s is not a valid GitHub secret name: %s.", req.Path, err))
	}
}

// importBySecretName starts the state of a resource imported by a secret
// name; Read fills in the rest.
func importBySecretName(ctx context.Context, typeName string, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if err := secretname.Validate(req.ID); err != nil {
		resp.Diagnostics.AddError("Invalid Import ID",
			fmt.Sprintf("Import %s by the secret's name, for example MY_SECRET: %s.", typeName, err))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("secret_name"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), secretname.Normalize(req.ID))...)
}

// configuredData extracts the provider's data in a resource or data source
// Configure; nil data means the provider is not configured yet (validate).
func configuredData(data any, diags *diag.Diagnostics) *providerData {
	if data == nil {
		return nil
	}
	pd, ok := data.(*providerData)
	if !ok {
		diags.AddError("Unexpected Provider Data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", data))
		return nil
	}
	return pd
}

// addAPIError turns a client error into a diagnostic that names the secret
// (its kind and scope), the HTTP status and GitHub's own message (last).
func addAPIError(diags *diag.Diagnostics, summary, action string, k orgKind, owner, name string, err error) {
	diags.AddError(summary, apiErrorDetail(action, k, owner, name, err))
}

// apiErrorDetail says what could not be done to which secret, and why; the
// advice follows the cause.
func apiErrorDetail(action string, k orgKind, owner, name string, err error) string {
	return scopeErrorDetail(action, k.scope(owner), k.permission, name, err)
}

// scopeErrorDetail is apiErrorDetail for a secret of any scope; permission
// is what the token needs to manage the scope's secrets.
func scopeErrorDetail(action string, scope client.Scope, permission, name string, err error) string {
	what := scope.Describe(name)
	var apiErr *client.ErrorResponse
	if !errors.As(err, &apiErr) {
		return fmt.Sprintf("Could not %s %s: %s.", action, what, err)
	}
	detail := fmt.Sprintf("Could not %s %s: GitHub answered %s.", action, what, err)
	switch {
	case client.IsKindUnavailable(err):
		detail += fmt.Sprintf(" Manage %s secrets with a provider configured for github.com or GitHub Enterprise Cloud.", scope.Kind.Title())
	case client.IsRateLimited(err):
		detail += " GitHub is limiting this token's requests, and waiting any longer would pass max_rate_limit_wait. " +
			"Run again later, raise max_rate_limit_wait, or lower -parallelism."
	case apiErr.StatusCode == 401:
		detail += " Check that the token is valid and has not expired."
	case (apiErr.StatusCode == 403 || apiErr.StatusCode == 404) && scope.IsOrg():
		detail += fmt.Sprintf(" Check that the organization exists and that the token may manage its %s secrets (%s).",
			scope.Kind.Title(), permission)
	case apiErr.StatusCode == 403 || apiErr.StatusCode == 404:
		detail += fmt.Sprintf(" Check that the token may manage the %s secrets of repository %s/%s (%s).",
			scope.Kind.Title(), scope.Owner, scope.Repo, permission)
	}
	return detail
}
