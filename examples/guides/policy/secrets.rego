# Policies for ghsecrets organization secrets, evaluated against
# `terraform show -json plan.out` (Rego v1, e.g. with conftest or opa eval).
package main

import rego.v1

# Secrets whose names match this pattern must never reach every repository.
restricted := `^(DEPLOY|PROD|SIGNING)_`

secret_changes contains rc if {
	some rc in input.resource_changes
	rc.type == "ghsecrets_org_actions_secret"
	some action in rc.change.actions
	action in {"create", "update"}
}

deny contains msg if {
	some rc in secret_changes
	rc.change.after.visibility == "all"
	regex.match(restricted, upper(rc.change.after.secret_name))
	msg := sprintf("%s: secret %s must not have visibility \"all\"", [rc.address, rc.change.after.secret_name])
}

# A new secret must carry value_wo_version, or its value can never be rotated
# through Terraform. Imported secrets get one at their first rotation.
deny contains msg if {
	some rc in secret_changes
	"create" in rc.change.actions
	object.get(rc.change.after, "value_wo_version", null) == null
	msg := sprintf("%s: set value_wo_version on secret %s", [rc.address, rc.change.after.secret_name])
}
