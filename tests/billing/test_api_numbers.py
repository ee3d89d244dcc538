"""PUT /api/v1/customers/{contract}/numbers: the billing system says which telephone
numbers a customer holds; call records are accepted only from them."""

from billing.models import CustomerNumber, FeedEvent

URL = "/api/v1/customers/{}/numbers"


def put(api, contract, numbers):
    return api.put(URL.format(contract), {"numbers": numbers}, content_type="application/json")


def numbers_of(customer):
    return sorted(customer.numbers.values_list("number", flat=True))


def test_the_numbers_become_the_customers_written_alike(api, customer):
    response = put(api, "C-1001", ["+421 905 111 222", "00421-2-5555-1234"])

    assert response.status_code == 200
    assert response.json() == {
        "added": ["+421255551234", "+421905111222"],
        "moved": [],
        "removed": [],
        "unchanged": [],
    }
    assert numbers_of(customer) == ["+421255551234", "+421905111222"]
    assert FeedEvent.objects.get().kind == FeedEvent.Kind.NUMBERS


def test_the_list_replaces_the_previous_one(api, customer):
    put(api, "C-1001", ["+421905111222", "+421905111223"])

    response = put(api, "C-1001", ["+421905111223", "+421905111224"])

    assert response.json() == {
        "added": ["+421905111224"],
        "moved": [],
        "removed": ["+421905111222"],
        "unchanged": ["+421905111223"],
    }
    assert numbers_of(customer) == ["+421905111223", "+421905111224"]


def test_the_same_list_again_changes_nothing(api, customer):
    put(api, "C-1001", ["+421905111222"])

    response = put(api, "C-1001", ["+421905111222"])

    assert response.json()["unchanged"] == ["+421905111222"]
    assert FeedEvent.objects.count() == 1


def test_a_number_another_customer_held_moves(api, customer, other_customer):
    put(api, "C-2002", ["+421905111222"])

    response = put(api, "C-1001", ["+421905111222"])

    assert response.json()["moved"] == ["+421905111222"]
    assert numbers_of(customer) == ["+421905111222"]
    assert numbers_of(other_customer) == []


def test_a_list_with_something_that_is_not_a_number_is_refused_whole(api, customer):
    response = put(api, "C-1001", ["+421905111222", "call me"])

    assert response.status_code == 422
    assert response.json() == {"detail": "'call me' is not a telephone number"}
    assert not CustomerNumber.objects.exists()


def test_an_unknown_contract_is_refused(api, customer):
    response = put(api, "C-9999", ["+421905111222"])

    assert response.status_code == 404
    assert not CustomerNumber.objects.exists()
