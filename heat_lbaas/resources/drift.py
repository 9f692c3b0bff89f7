"""Out-of-band changes: which observed values Heat compares with the template."""


def live_values_to_compare(template_values, live_values):
    """The observed values Heat compares with the template to find out-of-band changes
    (`stack update --converge`, or every update with `observe_on_update`).

    Only those of properties the template sets: one it leaves unset (None) is the API's
    to choose. Octavia fills such fields with defaults (timeouts, an empty header map)
    or derives them (a listener's default pool once a pool names the listener), and
    counting those as drift would make the update send null for them, which detaches
    the listener's pool. A name Heat made up (template name None) is the same case.
    """
    return {prop: value for prop, value in live_values.items()
            if template_values.get(prop) is not None}
