from django.contrib.auth import get_user_model


def make_user(username="alice", password="correct horse battery staple"):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={"email": f"{username}@example.com"})
    if created:
        user.set_password(password)
        user.save()
    return user
