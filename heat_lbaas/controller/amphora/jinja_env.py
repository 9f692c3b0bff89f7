"""The Jinja environment of the amphora's templates (templates/): every line of
HAProxy syntax the controller writes is in them; Python gives them data only."""
import os

import jinja2

# The output is an HAProxy configuration, not HTML: HTML escaping would corrupt it. What
# keeps user values from injecting directives is the API's validation and normalisation
# of every rendered field (api/validation.py), checked by the hostile-input tests.
ENVIRONMENT = jinja2.Environment(  # nosec B701
    loader=jinja2.FileSystemLoader(os.path.join(os.path.dirname(__file__), 'templates')),
    trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True, autoescape=False)
