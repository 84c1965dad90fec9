"""One module per page; each exposes `router` (an APIRouter). app.py includes them all behind
the authorisation dependency."""
