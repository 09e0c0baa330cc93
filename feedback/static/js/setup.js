// Set-up forms: show a field only where it applies (a manager's branches only for the manager role).
(function () {
  "use strict";
  document.querySelectorAll("[data-shown-for-role]").forEach(function (part) {
    var role = part.form ? part.form.elements.role : part.closest("form").elements.role;
    if (!role) { return; }
    function update() { part.hidden = role.value !== part.getAttribute("data-shown-for-role"); }
    role.addEventListener("change", update);
    update();
  });
}());
