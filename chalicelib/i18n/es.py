"""Spanish (español): the same keys as en.py, each translated. Times read as a Spanish speaker in the United States
reads them, and as the join page's Intl (es-US) writes them: "10:00 a.m.". The texts avoid guessing the caregiver's
gender ("su cuidador o cuidadora", "de su equipo de cuidado")."""

from __future__ import annotations

from typing import Any

TEXTS: dict[str, Any] = {
    "language_name": "Español",
    "locale": "es-US",
    # Fechas y horas (R44): "el miércoles 25 de noviembre de 2026 a las 10:00 a.m. (hora del Este)"
    "weekdays": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    "months": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
               "noviembre", "diciembre"),
    "am_pm": ("a.m.", "p.m."),
    "clock": "{hour}:{minute} {am_pm}",
    "date": "{weekday} {day} de {month}",
    "date_year": "{weekday} {day} de {month} de {year}",
    "at_time": "a las {time}",
    "at_one": "a la {time}",
    "with_zone": "{time} ({zone})",
    "zones": {
        "America/New_York": "hora del Este", "America/Detroit": "hora del Este",
        "America/Indiana/Indianapolis": "hora del Este", "America/Kentucky/Louisville": "hora del Este",
        "America/Chicago": "hora del Centro", "America/Denver": "hora de la Montaña",
        "America/Boise": "hora de la Montaña", "America/Phoenix": "hora de Arizona",
        "America/Los_Angeles": "hora del Pacífico", "America/Anchorage": "hora de Alaska",
        "Pacific/Honolulu": "hora de Hawái", "America/Puerto_Rico": "hora del Atlántico",
        "Europe/London": "hora del Reino Unido",
    },
    # El correo de invitación (R04, R31) y el del recordatorio (R32)
    "email.subject": "El enlace de su visita por video",
    "email.reminder_subject": "Su visita por video empieza pronto",
    "email.greeting": "Hola:",
    "email.intro": "{agency} ha programado una visita por video para usted con {caregiver}, de su equipo de cuidado.",
    "email.reminder_intro": "Un recordatorio de {agency}: su visita por video con {caregiver}, de su equipo de "
                            "cuidado, empieza pronto.",
    "email.when": "Cuándo:",
    "email.join_here": "Entre a la visita aquí:",
    "email.button": "Entrar a la visita por video",
    "email.copy": "O copie este enlace: {url}",
    "email.until": "Este enlace funciona hasta el {until}.",
    "email.calendar": "La visita va adjunta como evento de calendario: ábralo para agregar la visita a su calendario.",
    "email.tips_title": "Consejos para entrar desde un teléfono:",
    "email.tips": (
        "Abra el enlace en el teléfono o la tableta que va a usar, unos minutos antes de la visita.",
        "Cuando el navegador se lo pida, permita el uso de la cámara y del micrófono.",
        "Busque un lugar tranquilo y con buena luz, y mantenga el teléfono cargado o enchufado.",
    ),
    "email.no_account": "No necesita una cuenta ni una aplicación. Si el enlace no funciona, llame a {agency}.",
    # Los mensajes de texto (R28, R32): la agencia, las palabras "visita por video", la hora y el enlace, nada más
    "sms.invite": "{agency}: su visita por video es el {date} {at_time} ({zone}). Enlace para entrar: {url}",
    "sms.reminder": "{agency}: su visita por video empieza {at_time} ({zone}). Enlace para entrar: {url}",
    # El evento de calendario (R31)
    "calendar.summary": "Visita por video con {agency}",
    "calendar.description": "Entre a la visita por video aquí: {url}",
    # Los rechazos que puede ver el cliente (R10, R13, R16, R20, R23, R34) y lo demás que puede ver la página
    "refusal.InvalidLink": "Este enlace ya no es válido. Pida una nueva invitación a su proveedor de cuidado.",
    "refusal.ClientLinkExpired": "Este enlace ha vencido. Comuníquese con su proveedor de cuidado para recibir una "
                                 "nueva invitación.",
    "refusal.ClientSessionOver": "Su cuidador o cuidadora ha terminado la sesión. Ya puede cerrar esta página.",
    "refusal.WaitingForCaregiver": "Su cuidador o cuidadora se unirá en breve.",
    "refusal.VisitCancelled": "Esta visita fue cancelada. Comuníquese con su proveedor de cuidado.",
    "refusal.ServiceBusy": "El servicio está muy ocupado en este momento. Vuelva a intentarlo en unos instantes.",
    "refusal.VideoUnavailable": (
        "El servicio de video está ocupado en este momento. Vuelva a intentarlo en unos "
        "instantes."
    ),
    "refusal.VideoBusy": "Muchas visitas por video están empezando en este momento. Vuelva a intentarlo en un minuto.",
    "refusal.Conflict": "La visita acaba de cambiar. Vuelva a intentarlo.",
    "refusal.InternalError": "Algo salió mal de nuestro lado. Vuelva a intentarlo.",
    "refusal.BadRequest": "La solicitud no es válida.",
    "refusal.DomainError": "La solicitud no es válida.",
}
