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
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/ghsecrets/terraform-provider-ghsecrets/internal/client"
)

// secretNameAttribute is the secret_name attribute every secret resource
// shares: GitHub's naming rule at validate time, and a replacement only when
// the name really changes (GitHub compares names case-insensitively).
func secretNameAttribute(description string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: description + " Letters, digits and underscores only, not starting with a digit " +
			"or with `GITHUB_`. GitHub stores names upper-case and compares them case-insensitively, so " +
			"`my_secret` and `MY_SECRET` name the same secret. Changing the name (other than its case) replaces the resource.",
		Required:      true,
		Validators:    []validator.String{addressPartValidator{client.FieldName}},
		PlanModifiers: []planmodifier.String{replaceWhenRenamed(client.FieldName)},
	}
}

// importBySecretName starts the state of an organization secret imported
// by its name; Read fills in the rest.
func importBySecretName(ctx context.Context, typeName string, k orgKind, data *providerData, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	a, err := k.address(data.owner, req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid Import ID",
			fmt.Sprintf("Import %s by the secret's name, for example MY_SECRET: %s.", typeName, err))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("secret_name"), a.Name())...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), a.StoredName())...)
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
func addAPIError(diags *diag.Diagnostics, summary, action string, k orgKind, a client.Address, err error) {
	diags.AddError(summary, scopeErrorDetail(action, a, k.permission, err))
}

// scopeErrorDetail says what could not be done to which secret or variable,
// and why; the advice follows the cause. permission is what the token needs
// to manage the scope's secrets or variables.
func scopeErrorDetail(action string, a client.Address, permission string, err error) string {
	scope, what := a.Scope(), a.String()
	things := scope.Thing().String() + "s"
	var apiErr *client.ErrorResponse
	if !errors.As(err, &apiErr) {
		return fmt.Sprintf("Could not %s %s: %s.", action, what, err)
	}
	detail := fmt.Sprintf("Could not %s %s: GitHub answered %s.", action, what, err)
	switch {
	case client.IsKindUnavailable(err):
		detail += fmt.Sprintf(" Manage %s %s with a provider configured for github.com or GitHub Enterprise Cloud.", scope.Kind().Title(), things)
	case client.IsRateLimited(err):
		detail += " GitHub is limiting this token's requests, and waiting any longer would pass max_rate_limit_wait. " +
			"Run again later, raise max_rate_limit_wait, or lower -parallelism."
	case apiErr.StatusCode == 401:
		detail += " Check that the token is valid and has not expired."
	case (apiErr.StatusCode == 403 || apiErr.StatusCode == 404) && scope.IsUser():
		detail += fmt.Sprintf(" Check that the token belongs to a user with Codespaces access and may manage the user's "+
			"Codespaces secrets (%s).", permission)
	case (apiErr.StatusCode == 403 || apiErr.StatusCode == 404) && scope.IsOrg():
		detail += fmt.Sprintf(" Check that the organization exists and that the token may manage its %s %s (%s).",
			scope.Kind().Title(), things, permission)
	case apiErr.StatusCode == 403 || apiErr.StatusCode == 404:
		detail += fmt.Sprintf(" Check that the token may manage the %s %s of repository %s/%s (%s).",
			scope.Kind().Title(), things, scope.Owner(), scope.Repo(), permission)
	}
	return detail
}
