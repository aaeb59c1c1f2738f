# NetBox configuration for the odc.buildout embedded lab (copied to
# $ODC_LAB_HOME/netbox/conf/). Secrets live in the sibling secrets.py (0600),
# generated once by lab/netbox.sh; nothing secret is in this file.
import os

_secrets = {}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'secrets.py')) as _fh:
    exec(_fh.read(), _secrets)  # noqa: S102 - our own generated file

ALLOWED_HOSTS = ['127.0.0.1', 'localhost']
DATABASES = {
    'default': {
        'NAME': os.environ.get('NB_DB', 'netbox'),
        'USER': 'netbox',
        'PASSWORD': _secrets['DB_PASSWORD'],
        'HOST': '127.0.0.1',
        'PORT': '',
        'CONN_MAX_AGE': 300,
    }
}
REDIS = {
    'tasks': {'HOST': '127.0.0.1', 'PORT': 6379, 'DATABASE': 0, 'SSL': False},
    'caching': {'HOST': '127.0.0.1', 'PORT': 6379, 'DATABASE': 1, 'SSL': False},
}
SECRET_KEY = _secrets['SECRET_KEY']
API_TOKEN_PEPPERS = {1: _secrets['PEPPER']}
CENSUS_REPORTING_ENABLED = False
ISOLATED_DEPLOYMENT = True
TIME_ZONE = 'Europe/Amsterdam'
# Webhooks must not wait behind the search-index backlog of bulk loads.
QUEUE_MAPPINGS = {'webhook': 'high'}
# GraphQL list fields are capped; the inventory pages them anyway.
MAX_PAGE_SIZE = 5000
