"""What a login did and where it is signed in: the login history and the signed-in
sessions, shown on the Security page."""
