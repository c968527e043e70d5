/* One-click actions with in-page feedback; the forms also work without this script. */
(function () {
  "use strict";
  var feedback = document.getElementById("feedback");

  function say(text, isError) {
    feedback.textContent = text;
    feedback.classList.toggle("is-error", !!isError);
    feedback.classList.add("is-shown");
  }

  if (feedback && feedback.textContent.trim()) {
    feedback.classList.add("is-shown");
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-oneclick")) {
      return;
    }
    event.preventDefault();
    var button = form.querySelector("button");
    if (button) { button.disabled = true; }
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) {
          say(body.error || "That did not work.", true);
          if (button) { button.disabled = false; }
          return;
        }
        say(body.message, false);
        var gone = body.remove && document.getElementById(body.remove);
        if (gone) {
          gone.remove();
          feedback.focus();  // keyboard users keep their place: the message, not the page top
        } else if (button) {
          button.textContent = "Done";
        }
      });
    }).catch(function () {
      say("Could not reach dealscout: check the connection and try again.", true);
      if (button) { button.disabled = false; }
    });
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) {
      window.print();
    }
  });
})();
