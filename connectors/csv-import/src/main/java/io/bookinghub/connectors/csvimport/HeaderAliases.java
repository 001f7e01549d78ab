package io.bookinghub.connectors.csvimport;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The built-in header table: the column headers each field is recognised by, in English, Polish, Spanish and
 * Portuguese, compared by {@link Words#key} (so {@code "CZAS TRWANIA (min)"}, {@code "Czas trwania"} and
 * {@code "czas_trwania"} are one header). The table is documented in docs/importing.md; keep the two in step.
 * A connection's {@code columnMapping} overrides it field by field.
 */
final class HeaderAliases {
    private static final List<String> DURATION = List.of("Duration", "Length", "Duration min", "Minutes",
            "Czas trwania", "Czas", "Długość", "Duración", "Duracion", "Duração", "Tempo", "Minutos");
    private static final List<String> PRICE = List.of("Price", "Amount", "Total", "Value", "Cost",
            "Cena", "Kwota", "Wartość", "Koszt", "Precio", "Importe", "Preço", "Valor");
    private static final List<String> PHONE = List.of("Phone", "Phone number", "Telephone", "Mobile",
            "Telefon", "Numer telefonu", "Nr telefonu", "Teléfono", "Móvil", "Celular", "Telefone", "Telemóvel");
    private static final List<String> EMAIL = List.of("Email", "E-mail", "Email address", "Adres e-mail",
            "Correo", "Correo electrónico");

    private static final Map<ImportKind, Map<String, List<String>>> TABLE = Map.of(
            ImportKind.APPOINTMENTS, Map.ofEntries(
                    Map.entry("externalId", List.of("Appointment ID", "Booking ID", "ID", "ID wizyty",
                            "Numer wizyty", "ID rezerwacji", "ID de la cita", "ID cita", "ID reserva",
                            "ID do agendamento", "ID agendamento")),
                    Map.entry("date", List.of("Date", "Appointment date", "Day", "Data", "Data wizyty", "Dzień",
                            "Fecha", "Fecha de la cita", "Día", "Data do agendamento", "Dia")),
                    Map.entry("startTime", List.of("Start time", "Time", "Start", "From", "Godzina",
                            "Godzina rozpoczęcia", "Początek", "Od", "Hora", "Hora de inicio", "Hora inicio",
                            "Inicio", "Início", "Hora de início", "Horário")),
                    Map.entry("endTime", List.of("End time", "End", "To", "Godzina zakończenia", "Koniec", "Do",
                            "Hora de fin", "Hora fin", "Fin", "Hora de término", "Término", "Hora final")),
                    Map.entry("duration", DURATION),
                    Map.entry("startDateTime", List.of("Start date time", "Starts at", "Date and time",
                            "Date time", "Termin", "Data i godzina", "Fecha y hora", "Data e hora")),
                    Map.entry("endDateTime", List.of("End date time", "Ends at")),
                    Map.entry("service", List.of("Service", "Service name", "Treatment", "Usługa",
                            "Nazwa usługi", "Zabieg", "Servicio", "Tratamiento", "Serviço", "Procedimento")),
                    Map.entry("staff", List.of("Staff", "Staff member", "Employee", "Stylist", "Provider",
                            "Pracownik", "Specjalista", "Personel", "Empleado", "Profesional", "Estilista",
                            "Funcionário", "Profissional")),
                    Map.entry("client", List.of("Client", "Customer", "Client name", "Customer name", "Klient",
                            "Klientka", "Imię i nazwisko", "Cliente", "Nombre del cliente", "Nome do cliente")),
                    Map.entry("clientPhone", concat(List.of("Client phone", "Customer phone", "Telefon klienta",
                            "Teléfono del cliente", "Telefone do cliente"), PHONE)),
                    Map.entry("clientEmail", concat(List.of("Client email", "Customer email", "E-mail klienta",
                            "Email klienta", "Correo del cliente", "Email do cliente"), EMAIL)),
                    Map.entry("price", PRICE),
                    Map.entry("currency", List.of("Currency", "Waluta", "Moneda", "Divisa", "Moeda")),
                    Map.entry("status", List.of("Status", "State", "Stan", "Estado", "Situación", "Situação")),
                    Map.entry("notes", List.of("Notes", "Note", "Comment", "Comments", "Notatka", "Notatki",
                            "Uwagi", "Komentarz", "Notas", "Nota", "Comentario", "Comentarios", "Observaciones",
                            "Observações", "Comentário"))),
            ImportKind.CLIENTS, Map.of(
                    "externalId", List.of("Client ID", "Customer ID", "ID", "ID klienta", "ID cliente",
                            "ID del cliente", "ID do cliente"),
                    "name", List.of("Name", "Client", "Client name", "Customer", "Customer name", "Full name",
                            "Imię i nazwisko", "Klient", "Nazwa", "Nombre", "Nombre completo", "Cliente", "Nome",
                            "Nome completo"),
                    "phone", PHONE,
                    "email", EMAIL),
            ImportKind.SERVICES, Map.of(
                    "externalId", List.of("Service ID", "ID", "ID usługi", "ID servicio", "ID del servicio",
                            "ID serviço", "ID do serviço"),
                    "name", List.of("Service", "Name", "Service name", "Usługa", "Nazwa", "Nazwa usługi",
                            "Servicio", "Nombre", "Serviço", "Nome"),
                    "category", List.of("Category", "Kategoria", "Categoría", "Categoria"),
                    "duration", DURATION,
                    "price", PRICE,
                    "description", List.of("Description", "Opis", "Descripción", "Descrição")));

    private static final Map<ImportKind, Map<String, String>> FIELD_BY_KEY = index();

    private HeaderAliases() {
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }

    private static Map<ImportKind, Map<String, String>> index() {
        Map<ImportKind, Map<String, String>> index = new HashMap<>();
        TABLE.forEach((kind, fields) -> {
            Map<String, String> byKey = new HashMap<>();
            fields.forEach((field, headers) -> headers.forEach(h -> {
                String previous = byKey.put(Words.key(h), field);
                if (previous != null && !previous.equals(field)) {
                    throw new IllegalStateException(kind + ": header '" + h + "' is an alias of both " + previous
                            + " and " + field);
                }
            }));
            index.put(kind, Map.copyOf(byKey));
        });
        return Map.copyOf(index);
    }

    /** The field a header stands for in a kind's files, by the built-in table. */
    static Optional<String> field(ImportKind kind, String header) {
        return Optional.ofNullable(FIELD_BY_KEY.get(kind).get(Words.key(header)));
    }

    /** The built-in headers of a field, for messages that say what a missing column could be called. */
    static List<String> headers(ImportKind kind, String field) {
        return TABLE.get(kind).getOrDefault(field, List.of());
    }
}
