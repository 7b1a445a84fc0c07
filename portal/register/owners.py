"""Making an ``Owner`` from what a person typed: encrypted, hashed, masked (no Pyramid)."""
from portal.register import idnumbers
from portal.register.columns import mask_phone
from portal.register.models import Owner


def new_owner(personal, name, id_type, number, phone=""):
    number = idnumbers.normalize(number)
    return Owner(
        name_enc=personal.encrypt(name), name_hash=personal.identity_hash("name", name),
        id_type=id_type, id_enc=personal.encrypt(number),
        id_hash=personal.identity_hash(id_type, number) if number else "",
        id_masked=idnumbers.mask(id_type, number),
        id_valid=bool(number) and idnumbers.problem(id_type, number) is None,
        phone_enc=personal.encrypt(phone),
        phone_hash=personal.identity_hash("phone", phone) if phone else "",
    )


def shown(personal, owner):
    """What staff see of an owner: the name, the masked number, a masked phone."""
    return {"name": personal.decrypt(owner.name_enc), "id_type": owner.id_type,
            "id_number": owner.id_masked, "phone": mask_phone(personal.decrypt(owner.phone_enc)),
            "id_valid": owner.id_valid}
