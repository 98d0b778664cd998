from inspiracle.agreements.gate import gate_status_for


def consent(request) -> dict:
    """The versions a signed-in user still has to accept, for the banner every page shows them (AGR-4)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"consent_missing": gate_status_for(request).missing}
