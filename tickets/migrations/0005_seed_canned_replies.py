"""A handful of canned replies drawn from the seeds (the Support PIN; seed 002: changes are
confirmed from the customer's own account; seed 004: browser and device), in the four
languages, formal register. Staff edit them in the admin afterwards.

Frozen here as written, like 0002: a migration installs the same rows whenever it runs.
"""

from django.db import migrations



CANNED_REPLIES = [
    {
        "title": "How to find your Support PIN",
        "body_en": (
            "Dear {customer_name},\n\n"
            "Your Support PIN is shown at the top of every page of the support portal once you "
            "are signed in. If it is not there yet, please choose Support PIN in the portal's "
            "menu and activate it with your mobile phone. The PIN changes regularly: please "
            "read out the one shown when we speak on the phone.\n\n"
            "Kind regards,\n{agent_name}"
        ),
        "body_el": (
            "Αγαπητέ/ή {customer_name},\n\n"
            "Το Support PIN σας εμφανίζεται στο πάνω μέρος κάθε σελίδας της πύλης "
            "υποστήριξης, αφού συνδεθείτε. Αν δεν εμφανίζεται ακόμη, παρακαλούμε επιλέξτε "
            "Support PIN στο μενού της πύλης και ενεργοποιήστε το με το κινητό σας τηλέφωνο. "
            "Το PIN αλλάζει τακτικά: παρακαλούμε διαβάστε μας αυτό που εμφανίζεται όταν "
            "μιλάμε στο τηλέφωνο.\n\n"
            "Με εκτίμηση,\n{agent_name}"
        ),
        "body_it": (
            "Gentile {customer_name},\n\n"
            "il Suo Support PIN compare in alto in ogni pagina del portale di assistenza dopo "
            "l'accesso. Se non compare ancora, La preghiamo di scegliere Support PIN nel menu "
            "del portale e di attivarlo con il Suo cellulare. Il PIN cambia regolarmente: La "
            "preghiamo di leggerci quello visualizzato quando ci sentiamo al telefono.\n\n"
            "Cordiali saluti,\n{agent_name}"
        ),
        "body_sk": (
            "Dobrý deň, {customer_name},\n\n"
            "Váš Support PIN sa po prihlásení zobrazuje v hornej časti každej stránky "
            "zákazníckeho portálu. Ak sa ešte nezobrazuje, zvoľte, prosím, v ponuke portálu "
            "Support PIN a aktivujte ho pomocou Vášho mobilného telefónu. PIN sa pravidelne "
            "mení: keď spolu telefonujeme, prečítajte nám, prosím, ten, ktorý sa práve "
            "zobrazuje.\n\n"
            "S pozdravom\n{agent_name}"
        ),
    },
    {
        "title": "Confirm this change through the portal",
        "body_en": (
            "Dear {customer_name},\n\n"
            "For your security, we change your services only at the request of your own "
            "account. Please sign in to the support portal and confirm this change in request "
            "{reference}; we will carry it out as soon as you have confirmed it.\n\n"
            "Kind regards,\n{agent_name}"
        ),
        "body_el": (
            "Αγαπητέ/ή {customer_name},\n\n"
            "Για την ασφάλειά σας, κάνουμε αλλαγές στις υπηρεσίες σας μόνο όταν ζητούνται από "
            "τον δικό σας λογαριασμό. Παρακαλούμε συνδεθείτε στην πύλη υποστήριξης και "
            "επιβεβαιώστε την αλλαγή αυτή στο αίτημα {reference}· θα την εκτελέσουμε μόλις "
            "την επιβεβαιώσετε.\n\n"
            "Με εκτίμηση,\n{agent_name}"
        ),
        "body_it": (
            "Gentile {customer_name},\n\n"
            "per la Sua sicurezza modifichiamo i Suoi servizi solo su richiesta della Sua "
            "utenza. La preghiamo di accedere al portale di assistenza e di confermare questa "
            "modifica nella richiesta {reference}: la eseguiremo non appena l'avrà "
            "confermata.\n\n"
            "Cordiali saluti,\n{agent_name}"
        ),
        "body_sk": (
            "Dobrý deň, {customer_name},\n\n"
            "z bezpečnostných dôvodov meníme Vaše služby iba na žiadosť z Vášho vlastného "
            "používateľského konta. Prihláste sa, prosím, do zákazníckeho portálu a potvrďte "
            "túto zmenu v požiadavke {reference}; vykonáme ju hneď, ako ju potvrdíte.\n\n"
            "S pozdravom\n{agent_name}"
        ),
    },
    {
        "title": "Please send your browser and device",
        "body_en": (
            "Dear {customer_name},\n\n"
            "So that we can reproduce the problem described in request {reference}, please "
            "tell us which browser (with its version) and which device you use, for example "
            "Firefox 128 on a Windows computer or Safari on an iPhone. A screenshot of the "
            "error helps too.\n\n"
            "Kind regards,\n{agent_name}"
        ),
        "body_el": (
            "Αγαπητέ/ή {customer_name},\n\n"
            "Για να αναπαραγάγουμε το πρόβλημα που περιγράφετε στο αίτημα {reference}, "
            "παρακαλούμε ενημερώστε μας ποιο πρόγραμμα περιήγησης (και ποια έκδοσή του) και "
            "ποια συσκευή χρησιμοποιείτε, για παράδειγμα Firefox 128 σε υπολογιστή Windows ή "
            "Safari σε iPhone. Ένα στιγμιότυπο οθόνης του σφάλματος βοηθά επίσης.\n\n"
            "Με εκτίμηση,\n{agent_name}"
        ),
        "body_it": (
            "Gentile {customer_name},\n\n"
            "per poter riprodurre il problema descritto nella richiesta {reference}, La "
            "preghiamo di indicarci quale browser (con la versione) e quale dispositivo "
            "utilizza, per esempio Firefox 128 su un computer Windows o Safari su un iPhone. "
            "Anche una schermata dell'errore ci è utile.\n\n"
            "Cordiali saluti,\n{agent_name}"
        ),
        "body_sk": (
            "Dobrý deň, {customer_name},\n\n"
            "aby sme mohli zopakovať problém opísaný v požiadavke {reference}, napíšte nám, "
            "prosím, aký prehliadač (aj jeho verziu) a aké zariadenie používate, napríklad "
            "Firefox 128 na počítači s Windows alebo Safari na iPhone. Pomôže aj snímka "
            "obrazovky s chybou.\n\n"
            "S pozdravom\n{agent_name}"
        ),
    },
    {
        "title": "Request resolved: reply to reopen",
        "body_en": (
            "Dear {customer_name},\n\n"
            "We consider request {reference} resolved. If the problem persists, please reply "
            "to this message and the request will open again.\n\n"
            "Kind regards,\n{agent_name}"
        ),
        "body_el": (
            "Αγαπητέ/ή {customer_name},\n\n"
            "Θεωρούμε ότι το αίτημα {reference} έχει επιλυθεί. Αν το πρόβλημα παραμένει, "
            "παρακαλούμε απαντήστε σε αυτό το μήνυμα και το αίτημα θα ανοίξει ξανά.\n\n"
            "Με εκτίμηση,\n{agent_name}"
        ),
        "body_it": (
            "Gentile {customer_name},\n\n"
            "consideriamo risolta la richiesta {reference}. Se il problema persiste, La "
            "preghiamo di rispondere a questo messaggio e la richiesta verrà riaperta.\n\n"
            "Cordiali saluti,\n{agent_name}"
        ),
        "body_sk": (
            "Dobrý deň, {customer_name},\n\n"
            "požiadavku {reference} považujeme za vyriešenú. Ak problém pretrváva, odpovedzte, "
            "prosím, na túto správu a požiadavka sa znova otvorí.\n\n"
            "S pozdravom\n{agent_name}"
        ),
    },
]


def install_canned_replies(canned_reply_model) -> None:
    """Create the seeded replies that are missing; leave what staff changed."""
    for reply in CANNED_REPLIES:
        canned_reply_model.objects.get_or_create(title=reply["title"], defaults=reply)


def seed(apps, schema_editor):
    install_canned_replies(apps.get_model("tickets", "CannedReply"))


class Migration(migrations.Migration):
    dependencies = [("tickets", "0004_canned_replies")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
