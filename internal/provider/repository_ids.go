package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// A repository list is a list in the schema, held to a set's rules by the
// validator and plan modifier below. As a set it cost time in the square of
// its length at every validate, plan, apply and refresh: the framework looks
// for duplicates and compares set values pair by pair, and Terraform itself
// matches set elements the same way, so 10,000 repositories took minutes.
// A list is compared element by element.

// repositoryIDsAttribute is a repository id list attribute, required or
// optional: each id at most once, in any order.
func repositoryIDsAttribute(description string, required bool) schema.ListAttribute {
	return schema.ListAttribute{
		MarkdownDescription: description + " The order does not matter, and an id may appear only once.",
		Required:            required,
		Optional:            !required,
		ElementType:         types.Int64Type,
		Validators: []validator.List{
			listvalidator.ValueInt64sAre(int64validator.AtLeast(1)),
			uniqueRepositoryIDs{},
		},
		PlanModifiers: []planmodifier.List{repositoryOrderIgnored{}},
	}
}

// uniqueRepositoryIDs rejects a list that names a repository twice, naming
// it, in one sort instead of the pairwise search of listvalidator.UniqueValues.
type uniqueRepositoryIDs struct{}

var _ validator.List = uniqueRepositoryIDs{}

func (uniqueRepositoryIDs) Description(context.Context) string {
	return "each repository id may appear only once"
}

func (v uniqueRepositoryIDs) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (uniqueRepositoryIDs) ValidateList(_ context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	ids := knownInt64s(req.ConfigValue.Elements())
	slices.Sort(ids)
	for i := 1; i < len(ids); i++ {
		if ids[i] == ids[i-1] {
			resp.Diagnostics.AddAttributeError(req.Path, "Duplicate Repository ID",
				fmt.Sprintf("The %s lists repository %d more than once. GitHub keeps a set of repositories: list each one once "+
					"(distinct() removes repeats from a computed list).", req.Path, ids[i]))
			return
		}
	}
}

// repositoryOrderIgnored plans the prior list when the configured one holds
// the same ids in another order, so reordering a list is no change.
// Terraform accepts a plan that keeps the prior value of an attribute whose
// configuration is equivalent to it.
type repositoryOrderIgnored struct{}

var _ planmodifier.List = repositoryOrderIgnored{}

func (repositoryOrderIgnored) Description(context.Context) string {
	return "the order of the ids does not matter"
}

func (m repositoryOrderIgnored) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (repositoryOrderIgnored) PlanModifyList(_ context.Context, req planmodifier.ListRequest, resp *planmodifier.ListResponse) {
	planned, plannedOK := repositoryIDList(req.PlanValue)
	prior, priorOK := repositoryIDList(req.StateValue)
	if plannedOK && priorOK && slices.Equal(planned, prior) {
		resp.PlanValue = req.StateValue
	}
}

// repositoryIDList returns the ids of a list, sorted; false when the list or
// one of its ids is null or unknown.
func repositoryIDList(l types.List) ([]int64, bool) {
	if l.IsNull() || l.IsUnknown() {
		return nil, false
	}
	elems := l.Elements()
	ids := knownInt64s(elems)
	if len(ids) != len(elems) {
		return nil, false
	}
	slices.Sort(ids)
	return ids, true
}

// knownInt64s returns the known, non-null int64 elements, in order.
func knownInt64s(elems []attr.Value) []int64 {
	ids := make([]int64, 0, len(elems))
	for _, e := range elems {
		if n, ok := e.(types.Int64); ok && !n.IsNull() && !n.IsUnknown() {
			ids = append(ids, n.ValueInt64())
		}
	}
	return ids
}

// repositoryIDsValue is the list for ids (sorted, as GitHub answers), or
// prior when it holds the same ids in another order, so a refresh keeps the
// configuration's order; nil ids is a null list.
func repositoryIDsValue(prior types.List, ids []int64) types.List {
	if ids == nil {
		return types.ListNull(types.Int64Type)
	}
	sorted := slices.Sorted(slices.Values(ids))
	if known, ok := repositoryIDList(prior); ok && slices.Equal(known, sorted) {
		return prior
	}
	elems := make([]attr.Value, 0, len(sorted))
	for _, id := range sorted {
		elems = append(elems, types.Int64Value(id))
	}
	return types.ListValueMust(types.Int64Type, elems)
}

// unmarshalRawState decodes the JSON of a prior state version into v.
func unmarshalRawState(req resource.UpgradeStateRequest, v any) error {
	if req.RawState == nil || len(req.RawState.JSON) == 0 {
		return errors.New("the prior state has no JSON form (it was written by Terraform before 0.12)")
	}
	if err := json.Unmarshal(req.RawState.JSON, v); err != nil {
		return fmt.Errorf("the prior state cannot be read: %w", err)
	}
	return nil
}
