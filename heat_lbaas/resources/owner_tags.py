"""Ownership: the owner tag every created object carries, and what to do about a create
whose answer was lost (look for the object by its tag before sending it again)."""

from heat_lbaas.resources.decisions import DELETED, Decision, Next


# Every object a resource creates carries this tag with the resource's uuid, so that a
# create whose answer never came back (connection cut, timeout, engine killed) is found
# again and adopted instead of created a second time. Names cannot do it: a template may
# give several objects the same name. Heat shows the object's tags without it.
OWNER_TAG_PREFIX = 'heat-lbaas-owner:'

# How often a create whose answer was lost is sent again (each time only after looking
# for the object it may have created) before the resource fails.
LOST_CREATE_ATTEMPTS = 5


def owner_tag(resource_uuid):
    return OWNER_TAG_PREFIX + resource_uuid


def with_owner_tag(tags, resource_uuid):
    """The tags to send: the template's, then the owner tag."""
    return without_owner_tags(tags) + [owner_tag(resource_uuid)]


def without_owner_tags(tags):
    """Tags as the template knows them (the owner tags removed)."""
    return [tag for tag in tags or () if not tag.startswith(OWNER_TAG_PREFIX)]


def create_answer_may_be_lost(transport_failed, api_error):
    """Whether a failed create may have created the object all the same: the connection
    failed or timed out (`transport_failed`: keystoneauth's ConnectionError), or a proxy
    or server failed after passing the request on (`api_error` is (5xx, ...))."""
    return transport_failed or (api_error is not None and api_error[0] >= 500)


def decide_on_lost_create(attempt, description):
    """After a create whose answer was lost: retry (the retry first looks for the
    object by its owner tag), up to LOST_CREATE_ATTEMPTS times."""
    if attempt + 1 < LOST_CREATE_ATTEMPTS:
        return Decision(Next.RETRY, 'the answer to the create of %s was lost'
                        % description)
    return Decision(Next.FAIL, 'the answer to the create of %s was lost %d times'
                    % (description, LOST_CREATE_ATTEMPTS))


def lost_object(listed, resource_uuid):
    """The object the resource created although it never got the answer: the oldest
    listed object with its owner tag that is not being deleted, else None."""
    tag = owner_tag(resource_uuid)
    found = [shown for shown in listed
             if tag in (shown.get('tags') or ())
             and shown.get('provisioning_status') not in (DELETED, 'PENDING_DELETE')]
    if not found:
        return None
    return min(found, key=lambda shown: shown.get('created_at') or '')
