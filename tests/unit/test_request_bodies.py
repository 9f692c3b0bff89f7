"""Request bodies: an id Heat hands over as '' (a string property set to null) is no
id, and is never sent as one."""
from heat_lbaas.resources import request_bodies


def test_an_empty_id_is_none_and_other_values_pass():
    assert request_bodies._no_empty_id('flavor_id', '') is None
    assert request_bodies._no_empty_id('flavor_id', 'f1') == 'f1'
    # Only ids: an empty description or name is a value of its own.
    assert request_bodies._no_empty_id('description', '') == ''
