"""Cross-property rules run at `openstack orchestration template validate` time too.

Heat's template validate calls only Resource.validate_template() (the schema of each
property), not validate(); a rule such as "REDIRECT_TO_POOL needs redirect_pool" would
then surface only at create. This mixin runs a type's `property_problem()` (a pure rule
of property_rules.py) in both. The rules treat a value that is not known yet (a
get_attr of a resource not created) as absent, so they are safe before create.
"""

from heat.common import exception


class ChecksPropertyRules:
    def property_problem(self):
        """The first cross-property rule the properties break (a message), or None."""
        return None

    def _refuse_broken_property_rule(self):
        problem = self.property_problem()
        if problem:
            raise exception.StackValidationFailed(
                path=['resources', self.name, 'properties'], message=problem)

    def validate(self):
        result = super().validate()
        self._refuse_broken_property_rule()
        return result

    def validate_template(self):
        result = super().validate_template()
        self._refuse_broken_property_rule()
        return result
