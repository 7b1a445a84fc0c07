// Send the signed hand-over form to the face verification service without a second tap.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("handover");
  if (form) { form.submit(); }
});
