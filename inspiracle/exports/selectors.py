from inspiracle.exports.models import Export

SHOWN = 10


def export_list_for_owner(user) -> list[Export]:
    """The owner's latest archives, newest first (the page and the API list the same)."""
    return list(Export.objects.filter(user=user)[:SHOWN])
